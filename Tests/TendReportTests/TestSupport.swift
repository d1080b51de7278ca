import Foundation
import TendReport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Paths in the repository, found from this file's place in it.
enum RepositoryPath {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let reportSchema = root.appendingPathComponent("docs/report-schema.json")
    static let sarifSchema = root.appendingPathComponent("fixtures/schemas/sarif-schema-2.1.0.json")
}

/// Validates JSON against a JSON Schema with Python's jsonschema, which picks the draft from the
/// schema's `$schema`.
enum SchemaValidation {
    /// The validator's exit status: 0 when the document is valid.
    static func exitStatus(validating document: Data, against schema: URL) throws -> Int32 {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tend-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let documentURL = directory.appendingPathComponent("document.json")
        try document.write(to: documentURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
            documentURL.path, schema.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Parses XML and counts elements and attributes of interest.
final class XMLSummary: NSObject, XMLParserDelegate {
    private(set) var elementCounts: [String: Int] = [:]
    private(set) var attributes: [String: [[String: String]]] = [:]
    private(set) var parseError: Error?

    /// Parses `text`; `parseError` is nil when it is well-formed.
    static func parse(_ text: String) -> XMLSummary {
        let summary = XMLSummary()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = summary
        if !parser.parse() { summary.parseError = summary.parseError ?? parser.parserError }
        return summary
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elementCounts[elementName, default: 0] += 1
        attributes[elementName, default: []].append(attributeDict)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        self.parseError = parseError
    }
}

/// A small RFC 4180 reader for checking CSV output.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() }
                    else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
            } else if scalar == "," {
                row.append(field); field = ""
            } else if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", characters.first == "\n" { characters.removeFirst() }
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

extension DriftReport {
    func rendered(_ format: ReportFormat) -> String { ReportRenderer.render(self, as: format) }
}
