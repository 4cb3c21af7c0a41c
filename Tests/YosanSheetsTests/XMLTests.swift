import Testing
import YosanSheets

struct XMLTests {
  /// Every event as text: `<name a=v>`, `</name>`, `"text"`.
  struct Recorder: XMLHandler {
    var events: [String] = []
    mutating func start(_ name: XMLName, _ attributes: [XMLAttribute]) throws {
      events.append("<\(name)" + attributes.map { " \($0.name)=\($0.value)" }.joined() + ">")
    }
    mutating func end(_ name: XMLName) throws { events.append("</\(name.local)>") }
    mutating func text(_ text: String) throws { events.append("\"\(text)\"") }
  }

  static func events(_ xml: String) throws -> [String] {
    var recorder = Recorder()
    try XMLReader.parse(Array(xml.utf8), into: &recorder)
    return recorder.events
  }

  static func error(_ xml: String) -> String? {
    do {
      _ = try events(xml)
      return nil
    } catch let error as XMLError {
      return error.description
    } catch {
      return "\(error)"
    }
  }

  @Test func readsElementsAttributesAndText() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <!-- a comment -->
      <sst xmlns="urn:main" count='2'><si><t xml:space="preserve"> 予算 &amp; &lt;決算&gt; &#x5186;&#20870; </t></si><?pi data?><si><t><![CDATA[<b>&amp;</b>]]></t></si></sst>
      """
    #expect(
      try Self.events(xml) == [
        "<{urn:main}sst count=2>", "<{urn:main}si>", "<{urn:main}t {http://www.w3.org/XML/1998/namespace}space=preserve>",
        "\" 予算 & <決算> 円円 \"", "</t>", "</si>", "<{urn:main}si>", "<{urn:main}t>", "\"<b>&amp;</b>\"", "</t>", "</si>", "</sst>",
      ])
  }

  @Test func resolvesNamespacePrefixes() throws {
    let xml = """
      <x:worksheet xmlns:x="urn:main" xmlns:r="urn:rel"><x:sheet r:id="rId1" name="a"/><inner xmlns="urn:other"><x:c/></inner></x:worksheet>
      """
    #expect(
      try Self.events(xml) == [
        "<{urn:main}worksheet>", "<{urn:main}sheet {urn:rel}id=rId1 name=a>", "</sheet>", "<{urn:other}inner>", "<{urn:main}c>", "</c>", "</inner>",
        "</worksheet>",
      ])
  }

  @Test func normalisesLineEnds() throws {
    #expect(try Self.events("<a b=\"x\ny\tz\">1\r\n2\r3</a>") == ["<a b=x y z>", "\"1\n2\n3\"", "</a>"])
    #expect(try Self.events("<a b=\"x&#10;y\"/>") == ["<a b=x\ny>", "</a>"])
  }

  @Test func readsUTF16WithAByteOrderMark() throws {
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in "<a>予算</a>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    var recorder = Recorder()
    try XMLReader.parse(bytes, into: &recorder)
    #expect(recorder.events == ["<a>", "\"予算\"", "</a>"])
  }

  @Test func refusesWhatIsNotWellFormed() {
    #expect(Self.error("<a><b></a>") == "1:7: the end tag `</a>` does not match `<b>`")
    #expect(Self.error("<a>\n  <b>") == "2:6: the element `b` is not closed")
    #expect(Self.error("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>") == "1:1: a document type declaration, which office documents never have")
    #expect(Self.error("<a>&x;</a>") == "1:4: the unknown entity `&x;`")
    #expect(Self.error("<a>AT&T</a>") == "1:6: `&` that does not start a reference; write `&amp;`")
    #expect(Self.error("<p:a/>") == "1:1: the namespace prefix `p` is not declared")
    #expect(Self.error("<a b=\"1\" b=\"2\"/>") == "1:10: the attribute `b` is given twice")
    #expect(Self.error("<a b=1/>") == "1:6: the value of `b` is not quoted")
    #expect(Self.error("<a b=\"<\"/>") == "1:7: `<` in the value of `b`; write `&lt;`")
    #expect(Self.error("<a>\u{1}</a>") == "1:4: the character U+0001 is not allowed in XML")
    #expect(Self.error("<a>&#1;</a>") == "1:4: the character reference `&#1;` is not a character XML allows")
    #expect(Self.error("<a/><b/>") == "1:5: a second root element")
    #expect(Self.error("<a/>text") == "1:5: text after the root element")
    #expect(Self.error("") == "1:1: no root element")
    #expect(Self.error("<a><!-- open") == "1:4: a comment without its end `-->`")
    #expect(Self.error("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>") == "1:1: the XML declares the encoding `shift_jis`; only UTF-8 and UTF-16 are read")
    var invalid = Array("<a>予".utf8)
    invalid.removeLast()
    invalid += Array("</a>".utf8)
    do {
      var recorder = Recorder()
      try XMLReader.parse(invalid, into: &recorder)
      Issue.record("invalid UTF-8 was read")
    } catch let error as XMLError {
      #expect(error.message == "byte 0xE4 is not UTF-8 text")
      #expect(error.column == 4)
    } catch {
      Issue.record("\(error)")
    }
    let deep = String(repeating: "<a>", count: XMLReader.maximumDepth + 1) + String(repeating: "</a>", count: XMLReader.maximumDepth + 1)
    #expect(Self.error(deep) == "1:769: elements nested more than 256 deep")
  }

  /// The byte events (`XMLEventHandler`, what the worksheet reader uses) as text: the element's
  /// name and local bytes, each attribute's name, local bytes and value, each text.
  struct ByteRecorder: XMLEventHandler {
    var events: [String] = []
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
    mutating func start(_ tag: XMLTag) throws {
      let attributes = (0..<tag.attributeCount).map { " \(tag.attributeName($0))(\(Self.text(tag.attributeLocal($0))))=\(Self.text(tag.value($0)))" }
      events.append("<\(tag.name)(\(Self.text(tag.local)))" + attributes.joined() + ">")
    }
    mutating func end(_ tag: XMLTag) throws { events.append("</\(tag.name)(\(Self.text(tag.local)))>") }
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws { events.append("\"\(Self.text(bytes))\"") }
  }

  /// Values and text straight from the input and rewritten ones, declarations among the
  /// attributes (left out of the tag), names longer than the reader's 16-byte cache keys, text
  /// joined across a comment and a reference.
  @Test func byteEventsGiveNamesValuesAndJoinedText() throws {
    let long = "averyveryverylongname"
    let xml = """
      <p:r xmlns:p="urn:p" b='plain' p:\(long)="v&amp;w" xmlns="urn:m" c="x\ty">ab<!-- c -->cd&lt;e<\(long) \(long)="1"/>f<p:\(long)>g</p:\(long)></p:r>
      """
    var recorder = ByteRecorder()
    try XMLReader.parse(Array(xml.utf8), events: &recorder)
    #expect(
      recorder.events == [
        "<{urn:p}r(r) b(b)=plain {urn:p}\(long)(\(long))=v&w c(c)=x y>", "\"abcd<e\"", "<{urn:m}\(long)(\(long)) \(long)(\(long))=1>",
        "</{urn:m}\(long)(\(long))>", "\"f\"", "<{urn:p}\(long)(\(long))>", "\"g\"", "</{urn:p}\(long)(\(long))>", "</{urn:p}r(r)>",
      ])
    #expect(Self.error("<a \(long)=\"1\" \(long)='2'/>") == "1:30: the attribute `\(long)` is given twice")
    #expect(Self.error("<a b=\"1\" c=\"&amp;\" b=\"2\"/>") == "1:20: the attribute `b` is given twice")
    #expect(Self.error("<a>x<b>y</a>") == "1:9: the end tag `</a>` does not match `<b>`")
  }

  @Test func writerOutputReadsBackToTheSameText() throws {
    let texts = [
      "予算 & <決算> \"引用\" 'x'", " leading and trailing ", "line\nbreak", "cr\r\nlf", "tab\there", "]]>", "&amp;", "😀 𠮷",
    ]
    for text in texts {
      var writer = XMLWriter()
      writer.start("root", [("attribute", text)])
      writer.text(text)
      writer.end()
      let element = try XMLElement.parse(writer.finished())
      #expect(element.attribute("attribute") == text)
      #expect(element.text == text)
    }
    // What XML cannot hold becomes U+FFFD.
    var writer = XMLWriter(declaration: false)
    writer.element("a", text: "x\u{1}y")
    #expect(String(decoding: writer.finished(), as: UTF8.self) == "<a>x\u{FFFD}y</a>")
  }

  @Test func arbitraryBytesNeverTrap() {
    let seeds = ["<a b=\"c\">d<e/>&amp;<![CDATA[x]]></a>", "<?xml version=\"1.0\"?><x:r xmlns:x=\"u\"><x:c r=\"A1\"><v>1</v></x:c></x:r>"]
    var state: UInt64 = 7
    for seed in seeds {
      for _ in 0..<2000 {
        var bytes = Array(seed.utf8)
        for _ in 0..<3 {
          state = state &* 6_364_136_223_846_793_005 &+ 1442695040888963407
          let position = Int(state >> 33) % bytes.count
          bytes[position] = UInt8(truncatingIfNeeded: state >> 17)
        }
        var recorder = Recorder()
        _ = try? XMLReader.parse(bytes, into: &recorder)
      }
    }
  }
}
