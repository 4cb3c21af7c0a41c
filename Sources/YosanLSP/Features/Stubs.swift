import YosanCore
import YosanJSON


extension LanguageServer {
  func sumHover(_ role: AmountRole, offset: Int, in file: FileContext, into text: inout HoverText) {}
  func formatting(_ params: ParamReader) throws(ResponseError) -> JSON { .null }
  func rangeFormatting(_ params: ParamReader) throws(ResponseError) -> JSON { .null }
  func inlayHints(_ params: ParamReader) throws(ResponseError) -> JSON { .null }
}
