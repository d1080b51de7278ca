import CCurl
import Foundation

/// Dedicated threads that run blocking libcurl transfers, off the Swift concurrency pool.
///
/// Jobs wait in a FIFO queue guarded by a condition. A thread is started when a job arrives and
/// no idle thread is left, up to `maxThreads`; each thread owns one reused easy handle, and all
/// handles share one connection pool and DNS cache, so keep-alive works whichever thread runs a request.
final class TransferPool: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxThreads: Int
    private let share: UnsafeMutablePointer<tend_curl_share>?
    // Guarded by `condition`:
    private var queue: [TransferJob] = []
    private var queueStart = 0
    private var threadCount = 0
    private var idleCount = 0
    private var isShuttingDown = false

    /// Creates a pool of at most `maxThreads` threads; none start until the first job.
    init(maxThreads: Int) {
        _ = CurlGlobal.loadFailure
        self.maxThreads = max(1, maxThreads)
        share = tend_curl_share_new()
    }

    deinit {
        tend_curl_share_free(share)
    }

    /// Queues a job; it is finished on a transfer thread.
    func submit(_ job: TransferJob) {
        condition.lock()
        defer { condition.unlock() }
        if isShuttingDown {
            job.finish(.failure(HTTPError(.other, "\(job.request.method) \(job.request.url): the client was shut down", wasNotSent: true)))
            return
        }
        queue.append(job)
        if queue.count - queueStart > idleCount, threadCount < maxThreads {
            threadCount += 1
            let thread = Thread { [self] in runWorker() }
            thread.name = "tend-http-\(threadCount)"
            thread.start()
        }
        condition.signal()
    }

    /// Lets the threads finish queued jobs and exit; the pool is freed when the last one has.
    func shutDown() {
        condition.lock()
        isShuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next job, or nil when shutting down with nothing queued.
    private func nextJob() -> TransferJob? {
        condition.lock()
        defer { condition.unlock() }
        while queueStart == queue.count, !isShuttingDown {
            idleCount += 1
            condition.wait()
            idleCount -= 1
        }
        guard queueStart < queue.count else { return nil }
        let job = queue[queueStart]
        queueStart += 1
        if queueStart == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueStart = 0
        }
        return job
    }

    /// One thread's life: take jobs and run them on its own easy handle until shut down.
    private func runWorker() {
        guard let easy = tend_curl_easy_init() else {
            while let job = nextJob() {
                let reason = CurlGlobal.loadFailure ?? "curl_easy_init failed"
                job.finish(.failure(HTTPError(.other, "\(job.request.method) \(job.request.url): \(reason)", wasNotSent: true)))
            }
            return
        }
        defer { tend_curl_easy_cleanup(easy) }
        while let job = nextJob() {
            if job.isCancelled {
                job.finish(.cancelled)
                continue
            }
            job.finish(CurlTransfer(easy: easy, share: share).perform(job))
        }
    }
}

/// libcurl's process-wide setup, done once before the first handle: libcurl is opened then (`tend_curl_load`), not
/// when the process starts.
enum CurlGlobal {
    /// Why libcurl cannot be used (not installed, `curl_global_init` failed), or nil when it is ready; worked out
    /// once (Swift initialises globals thread-safely).
    static let loadFailure: String? = tend_curl_load().map { String(cString: $0) }
}
