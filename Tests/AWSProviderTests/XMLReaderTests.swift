@testable import AWSProvider
import Testing

/// The XML reader behind every AWS response: what it takes, and what it refuses as not well-formed.
@Suite struct XMLReaderTests {
    private func parse(_ text: String) -> XMLNode? { XMLNode.parse(Array(text.utf8)) }

    @Test func readsAnEC2ResponseWithItsNamespaceDeclarationsAndPrefixes() throws {
        let document = try #require(parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                <requestId>r-1</requestId>
                <vpcSet>
                    <item><vpcId>vpc-1</vpcId><tagSet/></item>
                    <item>
                        <vpcId>vpc-2</vpcId>
                        <ns:cidrBlock xmlns:ns="urn:x" a='1'>10.0.0.0/16</ns:cidrBlock>
                    </item>
                </vpcSet>
            </DescribeVpcsResponse>
            """))
        #expect(document.name == "DescribeVpcsResponse")
        #expect(document.string("requestId") == "r-1")
        let items = try #require(document.child("vpcSet")).items
        #expect(items.map { $0.string("vpcId") } == ["vpc-1", "vpc-2"])
        #expect(items[0].child("tagSet")?.children.isEmpty == true)
        #expect(items[1].string("cidrBlock") == "10.0.0.0/16")
        #expect(document.text.isEmpty, "an element with children has no text of its own")
    }

    @Test func decodesEntitiesCharacterReferencesAndCDATA() {
        #expect(parse("<a>&lt;x&gt; &amp; &quot;y&quot; &apos;z&apos;</a>")?.text == "<x> & \"y\" 'z'")
        #expect(parse("<a>&#233;&#xE9;&#x1F600;</a>")?.text == "\u{E9}\u{E9}\u{1F600}")
        #expect(parse("<a><![CDATA[<not> & markup]]></a>")?.text == "<not> & markup")
        #expect(parse("<a>  \n padded \t</a>")?.text == "padded")
        #expect(parse("<a>one<!-- a comment -->two<?pi x?></a>")?.text == "onetwo")
        #expect(parse("\u{FEFF}<a>bom</a>")?.text == "bom")
        #expect(parse("<a>é</a>")?.text == "é")
    }

    @Test(arguments: [
        "",                                    // no root
        "plain text",                          // no element
        "<a>x</b>",                            // mismatched end tag
        "<a><b>x</a></b>",                     // crossed elements
        "<a>x",                                // never closed
        "<a>x</a><b/>",                        // two roots
        "<a>x</a>trailing",                    // text after the root
        "<a>&nbsp;</a>",                       // an entity XML does not define
        "<a>&#0;</a>",                         // a character XML does not allow
        "<a>&amp</a>",                         // an unterminated reference
        "<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>",  // a DTD: never expanded
        "<a b=unquoted>x</a>",                 // an unquoted attribute
        "<a b=\"1\"c=\"2\">x</a>",             // attributes without space between them
        "<a>x]]>y</a>",                        // ]]> in text
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>x</a>",  // another encoding
        "<1a>x</1a>",                          // a name starting with a digit
        "<a><![CDATA[open</a>",                // CDATA never closed
        "<a><!-- open</a>",                    // comment never closed
    ])
    func refusesWhatIsNotWellFormed(_ text: String) {
        #expect(parse(text) == nil, "accepted: \(text)")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(XMLNode.parse(Array("<a>".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) == nil)
        #expect(XMLNode.parse(Array("<a".utf8) + [0xFF] + Array(">x</a>".utf8)) == nil)
    }

    @Test func readsDeepNestingWithoutRecursion() throws {
        let depth = 50_000
        let text = String(repeating: "<e>", count: depth) + "deep" + String(repeating: "</e>", count: depth)
        var node = try #require(parse(text))
        var levels = 1
        while let child = node.children.first {
            node = child
            levels += 1
        }
        #expect(levels == depth)
        #expect(node.text == "deep")
    }

    @Test func errorDetailsComeFromTheFirstLeavesNamedCodeMessageAndRequestIdInAnyCase() {
        let ec2 = AWSErrorDetails(body: Array("""
            <Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc 'x' does not exist</Message>\
            </Error></Errors><RequestID>req-9</RequestID></Response>
            """.utf8))
        #expect(ec2 == AWSErrorDetails(code: "InvalidVpcID.NotFound", message: "The vpc 'x' does not exist", requestID: "req-9"))
        let s3 = AWSErrorDetails(body: Array("<Error><Code>NoSuchBucket</Code><Message>gone &amp; away</Message><RequestId>r</RequestId></Error>".utf8))
        #expect(s3 == AWSErrorDetails(code: "NoSuchBucket", message: "gone & away", requestID: "r"))
        #expect(AWSErrorDetails(body: Array("<Error><Code>".utf8)) == AWSErrorDetails())
    }
}
