// Compiler-style text output:
//   warning: ip filter FORWARD: 3 rules use ... [NC1002 xt-without-arguments]
//     owner: docker
//     at: ruleset.json:/nftables/17
//     related: ip filter FORWARD #5: xt match conntrack without arguments
//     hint: ...
#include <ostream>

#include "output/formatters.h"

namespace nftc::output {
namespace {

class TextFormatter : public Formatter {
 public:
  explicit TextFormatter(const FormatOptions& o) : color_(o.color) {}

  void Write(const LintReport& report, std::ostream& out) const override {
    for (const InputReport& in : report.inputs) {
      if (!in.loaded) {
        out << Paint("1;31", "error") << ": " << in.error << "\n";
        continue;
      }
      for (const Diagnostic& d : in.findings) WriteOne(d, out);
      SeverityCounts c = Count(in.findings);
      out << in.input << ": " << c.total() << (c.total() == 1 ? " finding" : " findings");
      out << " (" << c.error << " error, " << c.warning << " warning, " << c.info << " info)";
      if (in.suppressed) out << ", " << in.suppressed << " suppressed";
      if (in.baselined) out << ", " << in.baselined << " in baseline";
      out << "\n";
    }
  }

 private:
  std::string Paint(const char* code, std::string_view s) const {
    if (!color_) return std::string(s);
    return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
  }

  void WriteOne(const Diagnostic& d, std::ostream& out) const {
    const char* code = d.severity == Severity::kError     ? "1;31"
                       : d.severity == Severity::kWarning ? "1;33"
                                                          : "1;36";
    out << Paint(code, ToString(d.severity)) << ": " << Paint("1", d.where.Describe()) << ": "
        << d.message << " " << Paint("2", "[" + d.id + " " + d.slug + "]") << "\n";
    out << "  owner: " << d.owner << "\n";
    std::string src = d.where.src.ToString();
    if (!src.empty()) out << "  at: " << src << "\n";
    for (const Location& r : d.related) {
      out << "  related: " << r.Describe() << ": " << r.message;
      std::string rs = r.src.ToString();
      if (!rs.empty() && rs != src) out << " (" << rs << ")";
      out << "\n";
    }
    if (!d.witness.empty()) out << "  witness: " << d.witness << "\n";
    if (!d.hint.empty()) out << "  hint: " << d.hint << "\n";
    if (!d.fix.empty()) out << "  fix: " << d.fix << "\n";
  }

  bool color_;
};

}  // namespace

std::unique_ptr<Formatter> MakeTextFormatter(const FormatOptions& opts) {
  return std::make_unique<TextFormatter>(opts);
}

}  // namespace nftc::output
