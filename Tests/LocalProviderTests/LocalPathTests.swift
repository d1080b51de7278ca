@testable import LocalProvider
import Testing

@Suite struct LocalPathTests {
    @Test(arguments: [
        ("/a/b", "/a/b"), ("/", "/"), ("//a", "/a"), ("/a/", "/a"), ("/a/./b", "/a/b"), ("/a/../b", "/b"),
        ("/a/..", "/"), ("/..", "/"), ("/a/.", "/a"), ("/a/.b/..c/...", "/a/.b/..c/..."), ("/a//b///", "/a/b"),
    ])
    func standardizes(path: String, expected: String) {
        #expect(LocalPath.standardize(path) == expected)
    }

    /// The fast check agrees with the full standardization on every path built from tricky components.
    @Test func fastCheckAgreesWithStandardization() {
        let parts = ["", ".", "..", "...", "a", ".a", "a.", "ab"]
        var paths: [String] = []
        for a in parts { for b in parts { for c in parts { paths.append("/" + [a, b, c].joined(separator: "/")) } } }
        paths += parts.map { "/" + $0 } + parts.map { "/" + $0 + "/" }
        for path in paths {
            #expect(LocalPath.isStandard(path) == (LocalPath.standardize(path) == path), "\(path)")
        }
        #expect(!LocalPath.isStandard("relative/path"))
        #expect(!LocalPath.isStandard(""))
    }
}
