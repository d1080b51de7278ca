/// Elements built on one thread to be moved, once, into an array on another: joining runs built in parallel moves
/// each element instead of copying it (a copy of a spec or record retains and releases each of its fields, and the
/// run it came from then releases them all again).
public final class ElementRun<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>?
    public private(set) var count = 0
    private var capacity = 0

    public init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity) }
    }

    deinit {
        base?.deinitialize(count: count)
        base?.deallocate()
    }

    public func append(_ element: consuming Element) {
        if count == capacity { grow(to: max(16, capacity * 2)) }
        (base! + count).initialize(to: element)
        count += 1
    }

    /// The element at `index`, read where it lies.
    public subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < count, "ElementRun index out of range")
            return UnsafePointer(base! + index)
        }
    }

    /// Every run's elements, run after run; the runs are left empty.
    public static func joined(_ runs: [ElementRun]) -> [Element] {
        let total = runs.reduce(0) { $0 + $1.count }
        return [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            for run in runs {
                guard let from = run.base, run.count > 0 else { continue }
                (buffer.baseAddress! + initialized).moveInitialize(from: from, count: run.count)
                initialized += run.count
                run.count = 0
            }
        }
    }

    private func grow(to size: Int) {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: size)
        if let base {
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = larger
        capacity = size
    }
}
