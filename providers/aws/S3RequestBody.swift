import CCrypto
import Foundation

/// The XML documents tend sends to S3, and the Content-MD5 some S3 calls require.
enum S3RequestBody {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// CreateBucketConfiguration naming the region; nil for us-east-1, which takes no body.
    static func createBucket(region: String) -> [UInt8]? {
        guard region != "us-east-1" else { return nil }
        return bytes("<CreateBucketConfiguration xmlns=\"\(namespace)\"><LocationConstraint>\(escape(region))</LocationConstraint></CreateBucketConfiguration>")
    }

    /// A Tagging document with the tags sorted by key.
    static func tagging(_ tags: [String: String]) -> [UInt8] {
        let set = tags.keys.sorted().map { key in
            "<Tag><Key>\(escape(key))</Key><Value>\(escape(tags[key] ?? ""))</Value></Tag>"
        }.joined()
        return bytes("<Tagging xmlns=\"\(namespace)\"><TagSet>\(set)</TagSet></Tagging>")
    }

    /// A VersioningConfiguration: Enabled, or Suspended (S3 cannot turn versioning off once on).
    static func versioning(enabled: Bool) -> [UInt8] {
        bytes("<VersioningConfiguration xmlns=\"\(namespace)\"><Status>\(enabled ? "Enabled" : "Suspended")</Status></VersioningConfiguration>")
    }

    /// A quiet DeleteObjects request for up to 1,000 object versions.
    static func deleteObjects(_ versions: [S3ObjectVersion]) -> [UInt8] {
        let objects = versions.map { version in
            let id = version.versionID.map { "<VersionId>\(escape($0))</VersionId>" } ?? ""
            return "<Object><Key>\(escape(version.key))</Key>\(id)</Object>"
        }.joined()
        return bytes("<Delete xmlns=\"\(namespace)\"><Quiet>true</Quiet>\(objects)</Delete>")
    }

    /// The base64 MD5 of a body, for the Content-MD5 header DeleteObjects requires.
    static func contentMD5(_ body: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = body.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_md5(), nil)
            }
        }
        return ok == 1 ? Data(digest.prefix(Int(length))).base64EncodedString() : ""
    }

    /// Text escaped for an XML element.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
