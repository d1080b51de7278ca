import ArgumentParser

/// `--parallelism N`, shared by the commands that apply changes; at least 1.
struct ParallelismOption: ParsableArguments {
    @Option(name: .customLong("parallelism"), help: "How many operations run at once.")
    var value: Int = 10

    func validate() throws {
        guard value >= 1 else { throw ValidationError("--parallelism must be at least 1, got \(value)") }
    }
}
