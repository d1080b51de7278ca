import Foundation
import TendModel
import TendState

/// A saved plan (`tend plan -out FILE`): the plan, what it was made from, and a format marker.
///
/// On disk (format version 2) the whole plan is sealed with AES-256-GCM under the state's `PlanKey`: the file holds
/// only the format marker, the key's id and the sealed bytes, so neither sensitive values nor provider settings
/// (credentials) can be read from it. Version 1 files (everything in clear) are still read.
public struct PlanFile: Sendable, Codable {
    /// Always `tend-plan`.
    public var format: String
    public var formatVersion: Int
    public var settings: PlanSettings
    public var plan: Plan

    public static let currentFormat = "tend-plan"
    public static let currentVersion = 2
    /// The version that held the plan in clear.
    static let clearVersion = 1
    /// Authenticated with the sealed bytes, so they cannot be passed off as something else.
    static let associatedData = Array("tend-plan/2".utf8)

    /// The file on disk: the marker, and the plan sealed.
    struct Envelope: Codable {
        var format: String
        var formatVersion: Int
        var encryption: String
        var keyID: String
        var nonce: String
        var ciphertext: String
        var tag: String
    }

    public init(settings: PlanSettings, plan: Plan) {
        self.format = PlanFile.currentFormat
        self.formatVersion = PlanFile.currentVersion
        self.settings = settings
        self.plan = plan
    }

    /// Encodes to JSON with sorted keys, in clear: what `sealed(with:)` encrypts.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(self)
    }

    /// The bytes of the plan file: the plan sealed under `key` (AES-256-GCM) inside a small JSON envelope.
    public func sealed(with key: PlanKey) throws -> Data {
        let box = try key.seal(Array(try encoded()), associatedData: PlanFile.associatedData)
        let envelope = Envelope(format: PlanFile.currentFormat, formatVersion: PlanFile.currentVersion, encryption: "AES-256-GCM",
                                keyID: key.id, nonce: Data(box.nonce).base64EncodedString(),
                                ciphertext: Data(box.ciphertext).base64EncodedString(), tag: Data(box.tag).base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(envelope)
    }

    /// Decodes a saved plan, with an error that says what is wrong. `key` is asked for only when the file is sealed.
    public static func decode(_ data: Data, path: String, key: () throws -> PlanKey) throws -> PlanFile {
        struct Marker: Decodable {
            var format: String?
            var formatVersion: Int?
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        // Anything without tend's marker is "not a tend plan file", an error of its own; why it failed to decode says less.
        guard let marker = try? decoder.decode(Marker.self, from: data), marker.format == currentFormat else {
            throw EngineError(.invalidPlanFile, "\(path) is not a tend plan file")
        }
        var clear = data
        switch marker.formatVersion {
        case clearVersion?:
            break
        case currentVersion?:
            // Any way the envelope fails to read means the same to the user: the file is damaged (said just below).
            guard let envelope = try? decoder.decode(Envelope.self, from: data),
                  let nonce = Data(base64Encoded: envelope.nonce), let ciphertext = Data(base64Encoded: envelope.ciphertext),
                  let tag = Data(base64Encoded: envelope.tag) else {
                throw EngineError(.invalidPlanFile, "\(path) is damaged: its sealed plan cannot be read")
            }
            do {
                let opened = try key().unseal(PlanKey.Sealed(nonce: Array(nonce), ciphertext: Array(ciphertext), tag: Array(tag)),
                                              associatedData: associatedData)
                clear = Data(opened)
            } catch {
                throw EngineError(.invalidPlanFile, "cannot open the saved plan \(path) (sealed with plan key \(envelope.keyID)): \(error)")
            }
        default:
            throw EngineError(.invalidPlanFile, "\(path) is a tend plan of format version \(marker.formatVersion ?? 0); this tend reads versions \(clearVersion) and \(currentVersion)")
        }
        do {
            return try decoder.decode(PlanFile.self, from: clear)
        } catch {
            throw EngineError(.invalidPlanFile, "\(path) is damaged: \(error)")
        }
    }
}
