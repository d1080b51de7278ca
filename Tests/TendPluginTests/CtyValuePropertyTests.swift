import PropertyBased
import TendFuzzing
import TendModel
import TendPlugin
import Testing

/// Random cty types with random values of them survive msgpack and JSON unchanged, and the bytes are canonical:
/// the decoded value encodes to the very same bytes.
@Suite struct CtyValuePropertyTests {
    /// A type and a value of it, both drawn from one seed (the library has no dependent generators).
    static func sample(seed: Int64, unknowns: Bool) -> (CtyType, Value) {
        var random = FuzzRandom(seed: UInt64(bitPattern: seed))
        let type = randomType(&random, depth: 3)
        return (type, randomValue(of: type, &random, unknowns: unknowns))
    }

    static let samples = Gen.int64().map { sample(seed: $0, unknowns: true) }
    static let knownSamples = Gen.int64().map { sample(seed: $0, unknowns: false) }

    @Test func msgpackRoundTripsAndIsCanonical() async {
        await propertyCheck(count: 400, input: Self.samples) { sample in
            let (type, value) = sample
            let bytes = try CtyValueCodec.encode(value, as: type)
            let decoded = try CtyValueCodec.decode(bytes, as: type)
            #expect(decoded == value, "\(type.jsonText)")
            #expect(try CtyValueCodec.encode(decoded, as: type) == bytes)
        }
    }

    @Test func jsonRoundTripsKnownValues() async {
        await propertyCheck(count: 400, input: Self.knownSamples) { sample in
            let (type, value) = sample
            let bytes = try CtyValueCodec.encodeJSON(value, as: type)
            #expect(try CtyValueCodec.decodeJSON(bytes, as: type) == value, "\(type.jsonText)")
        }
    }

    @Test func typeJSONRoundTrips() async {
        await propertyCheck(count: 300, input: Gen.int64()) { (seed: Int64) async throws in
            var random = FuzzRandom(seed: UInt64(bitPattern: seed))
            let type = Self.randomType(&random, depth: 4)
            #expect(try CtyType(jsonText: type.jsonText) == type)
        }
    }

    static func randomType(_ random: inout FuzzRandom, depth: Int) -> CtyType {
        let scalars: [CtyType] = [.string, .number, .bool, .dynamic]
        guard depth > 0, random.below(3) > 0 else { return scalars[random.below(scalars.count)] }
        switch random.below(5) {
        case 0: return .list(randomType(&random, depth: depth - 1))
        case 1: return .set(randomType(&random, depth: depth - 1))
        case 2: return .map(randomType(&random, depth: depth - 1))
        case 3:
            var attributes: [String: CtyType] = [:]
            for _ in 0..<random.below(4) { attributes[randomKey(&random)] = randomType(&random, depth: depth - 1) }
            return .object(attributes)
        default:
            return .tuple((0..<random.below(3)).map { _ in randomType(&random, depth: depth - 1) })
        }
    }

    static func randomValue(of type: CtyType, _ random: inout FuzzRandom, unknowns: Bool) -> Value {
        switch random.below(12) {
        case 0: return .null
        case 1 where unknowns: return .unknown
        default: break
        }
        switch type {
        case .string: return .string(randomKey(&random))
        case .number: return .number(randomNumber(&random))
        case .bool: return .bool(random.below(2) == 0)
        case .dynamic: return randomDynamic(&random)
        case let .list(element):
            return .list((0..<random.below(4)).map { _ in randomValue(of: element, &random, unknowns: unknowns) })
        case let .set(element):
            return .set(of: (0..<random.below(4)).map { _ in randomValue(of: element, &random, unknowns: unknowns) })
        case let .map(element):
            var entries: [String: Value] = [:]
            for _ in 0..<random.below(4) { entries[randomKey(&random)] = randomValue(of: element, &random, unknowns: unknowns) }
            return .map(entries)
        case let .object(attributes, _):
            return .map(attributes.mapValues { randomValue(of: $0, &random, unknowns: unknowns) })
        case let .tuple(elements):
            return .list(elements.map { randomValue(of: $0, &random, unknowns: unknowns) })
        }
    }

    /// A known value whose type can be inferred: scalars, and lists, maps and sets of them.
    static func randomDynamic(_ random: inout FuzzRandom) -> Value {
        func scalar(_ random: inout FuzzRandom, kind: Int) -> Value {
            switch kind {
            case 0: return .string(randomKey(&random))
            case 1: return .number(randomNumber(&random))
            default: return .bool(random.below(2) == 0)
            }
        }
        switch random.below(5) {
        case 0: return .list((0..<random.below(3)).map { _ in scalar(&random, kind: random.below(3)) })
        case 1:
            var entries: [String: Value] = [:]
            for _ in 0..<random.below(3) { entries[randomKey(&random)] = scalar(&random, kind: random.below(3)) }
            return .map(entries)
        case 2:
            let kind = random.below(3)
            return .set(of: (0..<(1 + random.below(3))).map { _ in scalar(&random, kind: kind) })
        default: return scalar(&random, kind: random.below(3))
        }
    }

    static func randomKey(_ random: inout FuzzRandom) -> String {
        let alphabet = Array("abcxyz_-09 éß\"\\") + ["\u{1F600}"]
        return String((0..<random.below(6)).map { _ in alphabet[random.below(alphabet.count)] })
    }

    static func randomNumber(_ random: inout FuzzRandom) -> Number {
        switch random.below(6) {
        case 0: return Number(Int64(bitPattern: random.next()))
        case 1: return Number(Int64(random.below(200)) - 100)
        case 2: return Number(Double(random.below(1 << 20)) / 1024) ?? 0
        case 3: return Number(parsing: "\(random.below(1000)).\(random.below(1000))e\(random.below(900) - 450)") ?? 0
        case 4: return Number(parsing: String(random.next()) + String(random.next())) ?? 0
        default: return Number(Double(bitPattern: random.next())) ?? 1
        }
    }
}
