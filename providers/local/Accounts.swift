#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ProviderKit

/// User and group names ↔ ids, through the reentrant `getpw*_r` / `getgr*_r` calls.
enum Accounts {
    /// The uid of a user name; a string of digits is taken as a uid itself.
    static func userID(named name: String) throws -> UInt32 {
        if let uid = lookUp({ (entry: inout passwd, buffer, size, result) in getpwnam_r(name, &entry, buffer, size, &result) },
                            { UInt32($0.pw_uid) }) {
            return uid
        }
        if let uid = UInt32(name) { return uid }
        throw ProviderError(.invalidInput, "no user named \"\(name)\"")
    }

    /// The gid of a group name; a string of digits is taken as a gid itself.
    static func groupID(named name: String) throws -> UInt32 {
        if let gid = lookUp({ (entry: inout group, buffer, size, result) in getgrnam_r(name, &entry, buffer, size, &result) },
                            { UInt32($0.gr_gid) }) {
            return gid
        }
        if let gid = UInt32(name) { return gid }
        throw ProviderError(.invalidInput, "no group named \"\(name)\"")
    }

    /// The name of a uid, or its digits when it has none.
    static func userName(of uid: UInt32) -> String {
        lookUp({ (entry: inout passwd, buffer, size, result) in getpwuid_r(uid_t(uid), &entry, buffer, size, &result) },
               { String(cString: $0.pw_name) }) ?? String(uid)
    }

    /// The name of a gid, or its digits when it has none.
    static func groupName(of gid: UInt32) -> String {
        lookUp({ (entry: inout group, buffer, size, result) in getgrgid_r(gid_t(gid), &entry, buffer, size, &result) },
               { String(cString: $0.gr_name) }) ?? String(gid)
    }

    /// Runs a `get*_r` call with a growing buffer and extracts a field of the entry it found.
    private static func lookUp<Entry, Field>(
        _ call: (inout Entry, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<Entry>?) -> Int32,
        _ extract: (Entry) -> Field
    ) -> Field? where Entry: DefaultInitializable {
        var capacity = 1024
        while capacity <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let (status, field) = buffer.withUnsafeMutableBufferPointer { pointer -> (Int32, Field?) in
                guard let base = pointer.baseAddress else { return (EINVAL, nil) }
                var entry = Entry()
                var result: UnsafeMutablePointer<Entry>?
                let status = call(&entry, base, pointer.count, &result)
                guard status == 0, result != nil else { return (status, nil) }
                return (0, extract(entry))
            }
            if status == ERANGE {
                capacity *= 4
                continue
            }
            return field
        }
        return nil
    }
}

/// C structs that Swift zero-initialises with `init()`.
protocol DefaultInitializable {
    init()
}

extension passwd: DefaultInitializable {}
extension group: DefaultInitializable {}
