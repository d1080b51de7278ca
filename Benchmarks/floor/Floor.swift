// The benchmark floor: the least work a no-op plan of N local files must do.
// Reads lines of "SHA256-HEX PATH", stats and hashes each file, compares the digest.
// Prints how many matched; exit 1 on any mismatch or unreadable file.

import CCrypto
import Foundation

@main
struct Floor {
    static func main() {
        guard CommandLine.arguments.count == 2, let list = try? String(contentsOfFile: CommandLine.arguments[1], encoding: .utf8) else {
            FileHandle.standardError.write(Data("usage: tend-bench-floor DIGEST-LIST\n".utf8))
            exit(1)
        }
        var matched = 0
        var mismatched = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let hexDigits = Array("0123456789abcdef".utf8)
        for line in list.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let expected = line[..<space]
            let path = String(line[line.index(after: space)...])
            var info = stat()
            guard stat(path, &info) == 0 else { mismatched += 1; continue }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { mismatched += 1; continue }
            guard let context = EVP_MD_CTX_new() else { exit(1) }
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 64 * 1024) }
                if n <= 0 { break }
                buffer.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, n) }
            }
            close(fd)
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 32
            EVP_DigestFinal_ex(context, &digest, &length)
            EVP_MD_CTX_free(context)
            var hexBytes = [UInt8](repeating: 0, count: 64)
            for (i, byte) in digest.enumerated() {
                hexBytes[2 * i] = hexDigits[Int(byte >> 4)]
                hexBytes[2 * i + 1] = hexDigits[Int(byte & 0x0F)]
            }
            let hex = String(decoding: hexBytes, as: UTF8.self)
            if hex == expected { matched += 1 } else { mismatched += 1 }
        }
        print("matched \(matched) mismatched \(mismatched)")
        exit(mismatched == 0 ? 0 : 1)
    }
}
