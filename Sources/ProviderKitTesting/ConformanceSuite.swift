import ProviderKit
import TendModel

/// The checks every provider must pass: create is safe to retry, observe after create matches,
/// update applies, delete removes, delete of something gone succeeds, observe of an unknown id
/// is nil, and transient errors are told apart from terminal ones.
///
/// `run()` returns the failures instead of asserting, so any test framework can use it:
/// `#expect(await suite.run() == [])`.
public struct ConformanceSuite: Sendable {
    /// The provider under test.
    public var provider: any ResourceProvider
    /// The context passed to every call.
    public var context: ProviderContext
    /// One or more samples per resource type.
    public var cases: [ConformanceCase]
    /// Operations that must fail as transient or terminal.
    public var errorProbes: [ErrorProbe]

    /// Creates a suite.
    public init(provider: any ResourceProvider, context: ProviderContext, cases: [ConformanceCase], errorProbes: [ErrorProbe] = []) {
        self.provider = provider
        self.context = context
        self.cases = cases
        self.errorProbes = errorProbes
    }

    /// Runs every check of every case, then every probe; an empty result means the provider conforms.
    public func run() async -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        for sample in cases {
            failures += await CaseRun(provider: provider, context: context, sample: sample).run()
        }
        for probe in errorProbes {
            failures += await run(probe)
        }
        return failures
    }

    private func run(_ probe: ErrorProbe) async -> [ConformanceFailure] {
        let fail = { (message: String) in
            [ConformanceFailure(type: probe.type, check: .errorsAreClassified, message: "probe \(probe.name): \(message)")]
        }
        do {
            try await probe.operation(provider, context)
            return fail("succeeded; expected a \(probe.expectation.rawValue) error")
        } catch let error as ProviderError {
            let expectsTransient = probe.expectation == .transient
            guard error.isTransient == expectsTransient else {
                return fail("expected a \(probe.expectation.rawValue) error, got \(error.code.rawValue): \(error)")
            }
            return []
        } catch {
            return fail("threw \(type(of: error)), not a ProviderError: \(error)")
        }
    }
}
