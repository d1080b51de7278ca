/// Elements built on one thread to be moved, once, into an array on another: joining runs built in parallel moves
/// each element instead of copying it (a copy of a spec or record retains and releases each of its fields, and the
/// run it came from then releases them all again).
public final class ElementRun<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>?
    /// Elements before `start` were moved out already.
    private var start = 0
    private var end = 0
    private var capacity = 0

    public init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity) }
    }

    deinit {
        free()
    }

    /// The elements held.
    public var count: Int { end - start }

    public func append(_ element: consuming Element) {
        if end == capacity { grow(to: max(16, capacity * 2)) }
        (base! + end).initialize(to: element)
        end += 1
    }

    /// The element at `index` (from 0), read where it lies.
    public subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < count, "ElementRun index out of range")
            return UnsafePointer(base! + start + index)
        }
    }

    /// The elements, each moved out as it is taken: `array.append(contentsOf: run.drain())` moves them into the array.
    /// What is not taken stays in the run.
    public func drain() -> Drain { Drain(run: self) }

    public struct Drain: Sequence, IteratorProtocol {
        let run: ElementRun

        public var underestimatedCount: Int { run.count }

        public mutating func next() -> Element? {
            guard run.start < run.end, let base = run.base else { return nil }
            defer { run.start += 1 }
            return (base + run.start).move()
        }
    }

    /// Every run's elements, run after run; each run is emptied, and its storage freed, as soon as it is moved.
    public static func joined(_ runs: [ElementRun]) -> [Element] {
        let total = runs.reduce(0) { $0 + $1.count }
        return [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            for run in runs {
                if let from = run.base, run.count > 0 {
                    (buffer.baseAddress! + initialized).moveInitialize(from: from + run.start, count: run.count)
                    initialized += run.count
                    run.start = run.end
                }
                run.free()
            }
        }
    }

    private func free() {
        guard let base else { return }
        (base + start).deinitialize(count: end - start)
        base.deallocate()
        self.base = nil
        start = 0
        end = 0
        capacity = 0
    }

    private func grow(to size: Int) {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: size)
        if let base {
            larger.moveInitialize(from: base + start, count: end - start)
            base.deallocate()
        }
        end -= start
        start = 0
        base = larger
        capacity = size
    }
}
