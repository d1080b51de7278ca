import Foundation
import TendModel

/// A saved plan (`tend plan -out FILE`): the plan, what it was made from, and a format marker.
public struct PlanFile: Sendable, Codable {
    /// Always `tend-plan`.
    public var format: String
    public var formatVersion: Int
    public var settings: PlanSettings
    public var plan: Plan

    public static let currentFormat = "tend-plan"
    public static let currentVersion = 2

    public init(settings: PlanSettings, plan: Plan) {
        self.format = PlanFile.currentFormat
        self.formatVersion = PlanFile.currentVersion
        self.settings = settings
        self.plan = plan
    }

    /// Encodes to JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(self)
    }

    /// Decodes a saved plan, with an error that says what is wrong.
    public static func decode(_ data: Data, path: String) throws -> PlanFile {
        struct Marker: Decodable {
            var format: String?
            var formatVersion: Int?
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let marker = try? decoder.decode(Marker.self, from: data), marker.format == currentFormat else {
            throw EngineError(.invalidPlanFile, "\(path) is not a tend plan file")
        }
        guard marker.formatVersion == currentVersion else {
            throw EngineError(.invalidPlanFile, "\(path) is a tend plan of format version \(marker.formatVersion ?? 0); this tend reads version \(currentVersion)")
        }
        do {
            return try decoder.decode(PlanFile.self, from: data)
        } catch {
            throw EngineError(.invalidPlanFile, "\(path) is damaged: \(error)")
        }
    }
}
