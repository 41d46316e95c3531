// JUnit XML for CI systems: one testsuite per input, one testcase per rule that ran; a
// testcase fails when the rule reported findings at or above --fail-on (findings below it
// are listed in system-out). An input that could not be loaded is one testcase with <error>.
#include <map>
#include <ostream>

#include "output/formatters.h"

namespace nftc::output {
namespace {

std::string Xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even as references.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += '?';
        else out += c;
    }
  }
  return out;
}

std::string Line(const Diagnostic& d) {
  std::string s = std::string(ToString(d.severity)) + ": " + d.where.Describe() + ": " +
                  d.message + " [" + d.id + " " + d.slug + "] (owner " + d.owner + ")";
  if (!d.hint.empty()) s += "\n  hint: " + d.hint;
  if (!d.fix.empty()) s += "\n  fix: " + d.fix;
  return s;
}

class JunitFormatter : public Formatter {
 public:
  void Write(const LintReport& report, std::ostream& out) const override {
    size_t tests = 0, failures = 0, errors = 0;
    std::string body;
    for (const InputReport& in : report.inputs) {
      std::string suite;
      size_t st = 0, sf = 0, se = 0;
      if (!in.loaded) {
        st = se = 1;
        suite += "    <testcase classname=\"" + Xml(in.input) + "\" name=\"load\">\n";
        suite += "      <error message=\"" + Xml(in.error) + "\" type=\"input-error\"/>\n";
        suite += "    </testcase>\n";
      }
      std::map<std::string_view, std::vector<const Diagnostic*>> by_rule;
      for (const Diagnostic& d : in.findings) by_rule[d.id].push_back(&d);
      for (const RuleEntry* r : in.rules_run) {
        ++st;
        std::string name = std::string(r->id) + " " + std::string(r->slug);
        suite += "    <testcase classname=\"" + Xml(in.input) + "\" name=\"" + Xml(name) + "\"";
        auto it = by_rule.find(r->id);
        if (it == by_rule.end()) { suite += "/>\n"; continue; }
        std::string failing, other;
        size_t nfail = 0;
        for (const Diagnostic* d : it->second) {
          bool fails = report.fail_on && AtOrAbove(d->severity, *report.fail_on);
          (fails ? failing : other) += Line(*d) + "\n";
          nfail += fails;
        }
        suite += ">\n";
        if (nfail) {
          ++sf;
          suite += "      <failure message=\"" + std::to_string(nfail) +
                   (nfail == 1 ? " finding" : " findings") + "\" type=\"" + std::string(r->id) +
                   "\">" + Xml(failing) + "</failure>\n";
        }
        if (!other.empty()) suite += "      <system-out>" + Xml(other) + "</system-out>\n";
        suite += "    </testcase>\n";
      }
      body += "  <testsuite name=\"" + Xml(in.input) + "\" tests=\"" + std::to_string(st) +
              "\" failures=\"" + std::to_string(sf) + "\" errors=\"" + std::to_string(se) +
              "\" skipped=\"0\">\n" + suite + "  </testsuite>\n";
      tests += st, failures += sf, errors += se;
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"nft-coexist lint\" tests=\"" << tests << "\" failures=\"" << failures
        << "\" errors=\"" << errors << "\">\n"
        << body << "</testsuites>\n";
  }
};

}  // namespace

std::unique_ptr<Formatter> MakeJunitFormatter(const FormatOptions&) {
  return std::make_unique<JunitFormatter>();
}

}  // namespace nftc::output
