// Finding and splitting rule doc pages.
#include "lint/rule_docs.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nftc {

namespace fs = std::filesystem;

std::string DocFileName(const RuleEntry& r) {
  std::string id(r.id);
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id + "_" + std::string(r.slug) + ".md";
}

std::string RuleDocsDir() {
  if (const char* env = std::getenv("NFTC_RULES_DIR"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path share = exe.parent_path().parent_path() / "share" / "nft-coexist" / "rules";
    if (fs::is_directory(share, ec)) return share.string();
  }
  return std::string(NFTC_SOURCE_DIR) + "/rules";
}

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

RuleDoc ParseRuleDoc(const std::string& text, const std::string& path) {
  RuleDoc doc;
  doc.path = path;
  doc.markdown = text;
  std::istringstream in(text);
  std::string line;
  enum { kTitle, kMessage, kOther, kWhat } state = kTitle;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (state == kTitle) {
      if (t.rfind("# ", 0) == 0) {
        doc.title = Trim(t.substr(2));
        state = kMessage;
      }
      continue;
    }
    if (t.rfind("#", 0) == 0) {
      if (state == kWhat && !doc.what.empty()) break;
      state = t.find("What it detects") != std::string::npos ? kWhat : kOther;
      continue;
    }
    if (t.empty()) {
      if (state == kMessage && !doc.message.empty()) state = kOther;
      continue;
    }
    if (t.rfind("> ", 0) == 0) t = t.substr(2);
    std::string& target = state == kMessage ? doc.message : doc.what;
    if (state == kMessage || state == kWhat) {
      if (!target.empty()) target += ' ';
      target += t;
    }
  }
  return doc;
}

std::optional<RuleDoc> LoadRuleDoc(const RuleEntry& r) {
  std::string path = RuleDocsDir() + "/" + DocFileName(r);
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::stringstream ss;
  ss << f.rdbuf();
  return ParseRuleDoc(ss.str(), path);
}

}  // namespace nftc
