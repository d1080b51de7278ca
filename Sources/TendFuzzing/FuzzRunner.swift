import Foundation

/// Runs one fuzz target: feeds it mutated corpus entries and random bytes, times every input, and prints the summary
/// line a driver collects. A crash ends the process (so a summary that is printed always says `crashes=0`); set
/// `TEND_FUZZ_TRACE` to a file name to have each input written there before it runs, to keep the one that crashed.
public struct FuzzRunner: Sendable {
    /// What the target made of one input.
    public enum Outcome: Sendable {
        /// The input was taken as valid.
        case accepted
        /// The input was refused with an error value; the message says why.
        case rejected(String)
    }

    /// Counts of one run.
    public struct Summary: Sendable {
        public var target: String
        public var inputs = 0
        public var hangs = 0
        public var errors = 0
        public var accepted = 0
        /// Errors whose message was empty: each error must say what is wrong.
        public var silentErrors = 0
        /// The slowest input and how long it took.
        public var slowest: Duration = .zero
        public var slowestInput: [UInt8] = []
        public var elapsed: Duration = .zero

        /// The line `make torture` collects.
        public var line: String {
            "TORTURE fuzz target=\(target) inputs=\(inputs) crashes=0 hangs=\(hangs) errors=\(errors) accepted=\(accepted)"
        }

        public var inputsPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(inputs) / seconds : 0
        }
    }

    public var target: String
    /// How many inputs to try: `TEND_FUZZ_INPUTS`, else the target's default.
    public var inputs: Int
    public var seed: UInt64
    /// An input that takes longer than this counts as a hang.
    public var timeBound: Duration
    public var mutator: FuzzMutator
    /// Where to write each input before it runs, when set.
    public var tracePath: String?

    /// - Parameter environment: the test process's environment, for `TEND_FUZZ_INPUTS`, `TEND_FUZZ_SEED` and
    ///   `TEND_FUZZ_TRACE`.
    public init(target: String, defaultInputs: Int, environment: [String: String], mutator: FuzzMutator,
                timeBound: Duration = .seconds(2)) {
        self.target = target
        inputs = environment["TEND_FUZZ_INPUTS"].flatMap { Int($0) } ?? defaultInputs
        seed = environment["TEND_FUZZ_SEED"].flatMap { UInt64($0) } ?? FuzzRunner.stableHash(target)
        self.timeBound = timeBound
        self.mutator = mutator
        tracePath = environment["TEND_FUZZ_TRACE"]
    }

    /// Runs `body` on the corpus entries themselves, then on mutations of them and on random bytes, and prints the
    /// summary line.
    public func run(corpus: [[UInt8]], _ body: ([UInt8]) -> Outcome) -> Summary {
        var random = FuzzRandom(seed: seed)
        var summary = Summary(target: target)
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<inputs {
            let input: [UInt8]
            if index < corpus.count {
                input = corpus[index]
            } else if corpus.isEmpty || random.below(8) == 0 {
                input = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                input = mutator.mutate(corpus[random.below(corpus.count)], corpus: corpus, random: &random)
            }
            if let tracePath { FileManager.default.createFile(atPath: tracePath, contents: Data(input)) }
            let start = clock.now
            let outcome = body(input)
            let took = clock.now - start
            summary.inputs += 1
            switch outcome {
            case .accepted:
                summary.accepted += 1
            case let .rejected(message):
                summary.errors += 1
                if message.isEmpty { summary.silentErrors += 1 }
            }
            if took > timeBound { summary.hangs += 1 }
            if took > summary.slowest {
                summary.slowest = took
                summary.slowestInput = input
            }
        }
        summary.elapsed = clock.now - started
        print(summary.line)
        print("fuzz \(target): \(Int(summary.inputsPerSecond)) inputs/s, slowest input \(summary.slowest)")
        return summary
    }

    /// FNV-1a of the name: each target's default seed, the same on every machine.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}
