import CCrypto

/// HMAC-SHA256 over a webhook body, sent as `X-Tend-Signature: sha256=<hex>`.
public enum WebhookSignature {
    /// The header that carries the signature.
    public static let headerName = "X-Tend-Signature"

    /// The lowercase hex HMAC-SHA256 of `body` under `secret`.
    public static func hex(body: [UInt8], secret: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let key = secret.isEmpty ? [0] : secret
        let keyLength = Int32(secret.count)
        let written = key.withUnsafeBufferPointer { keyBytes in
            body.withUnsafeBufferPointer { bodyBytes in
                digest.withUnsafeMutableBufferPointer { out in
                    HMAC(EVP_sha256(), keyBytes.baseAddress, keyLength, bodyBytes.baseAddress, body.count,
                         out.baseAddress, &length)
                }
            }
        }
        guard written != nil else { return "" }
        let hexDigits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(Int(length) * 2)
        for byte in digest.prefix(Int(length)) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The header value: `sha256=<hex>`.
    public static func headerValue(body: [UInt8], secret: String) -> String {
        "sha256=" + hex(body: body, secret: Array(secret.utf8))
    }
}
