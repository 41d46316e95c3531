#include "owners/direct_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace nftc::owners {
namespace {

std::vector<std::string> SplitWs(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::optional<Family> DirectFamily(std::string_view ipv) {
  if (ipv == "ipv4") return Family::kIp;
  if (ipv == "ipv6") return Family::kIp6;
  if (ipv == "eb") return Family::kBridge;
  return std::nullopt;
}

std::string Unescape(std::string s) {
  static const std::pair<std::string_view, std::string_view> kEnt[] = {
      {"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (auto [from, to] : kEnt) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
      s.replace(p, from.size(), to);
  }
  return s;
}

}  // namespace

std::vector<std::string> NormaliseIptArgs(std::string_view args) {
  return NormaliseIptTokens(SplitWs(args));
}

std::vector<std::string> NormaliseIptTokens(std::vector<std::string> tok) {
  static const std::map<std::string, std::string> kLong = {
      {"--source", "-s"},          {"--src", "-s"},           {"--destination", "-d"},
      {"--dst", "-d"},             {"--protocol", "-p"},      {"--in-interface", "-i"},
      {"--out-interface", "-o"},   {"--jump", "-j"},          {"--goto", "-g"},
      {"--match", "-m"},           {"--destination-port", "--dport"},
      {"--source-port", "--sport"}, {"--append", "-A"},       {"--insert", "-I"},
  };
  static const char* kImplicit[] = {"tcp", "udp", "icmp", "icmp6", "icmpv6", "sctp", "udplite", "dccp"};
  for (auto& t : tok)
    if (auto it = kLong.find(t); it != kLong.end()) t = it->second;
  if (tok.size() >= 2 && (tok[0] == "-A" || tok[0] == "-I")) tok.erase(tok.begin(), tok.begin() + 2);
  // Group: an option with its values; a "!" joins the group it precedes.
  std::vector<std::vector<std::string>> groups;
  bool neg = false;
  for (size_t i = 0; i < tok.size(); ++i) {
    const std::string& t = tok[i];
    if (t == "!") { neg = true; continue; }
    if (t.size() > 1 && t[0] == '-' && !(t[1] >= '0' && t[1] <= '9')) {
      groups.push_back({});
      if (neg) groups.back().push_back("!");
      groups.back().push_back(t);
      neg = false;
    } else if (!groups.empty()) {
      if (neg) groups.back().push_back("!"), neg = false;
      groups.back().push_back(t);
    }
  }
  std::vector<std::string> out;
  for (auto& g : groups) {
    size_t o = g[0] == "!" ? 1 : 0;
    const std::string& opt = g[o];
    if (opt == "-m" && g.size() == o + 2 &&
        std::find(std::begin(kImplicit), std::end(kImplicit), g[o + 1]) != std::end(kImplicit))
      continue;  // iptables-save prints the implicit protocol match
    if ((opt == "-s" || opt == "-d") && g.size() > o + 1 && g[o + 1].find('/') == std::string::npos)
      g[o + 1] += g[o + 1].find(':') == std::string::npos ? "/32" : "/128";
    std::string joined;
    for (const auto& x : g) joined += (joined.empty() ? "" : " ") + x;
    out.push_back(joined);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<DirectRule> CollectDirectRules(const HostContext& host) {
  std::vector<DirectRule> out;
  static const RE2 kXmlRule("<rule\\s+([^>]*)>([^<]*)</rule>");
  static const RE2 kXmlAttr("(\\w+)=\"([^\"]*)\"");
  for (const auto& [name, text] : host.files) {
    if (name.find("direct") == std::string::npos) continue;
    if (text.find("<direct") != std::string::npos) {
      re2::StringPiece in(text);
      std::string attrs, body;
      while (RE2::FindAndConsume(&in, kXmlRule, &attrs, &body)) {
        std::map<std::string, std::string> a;
        re2::StringPiece ai(attrs);
        std::string k, v;
        while (RE2::FindAndConsume(&ai, kXmlAttr, &k, &v)) a[k] = v;
        auto fam = DirectFamily(a["ipv"]);
        if (!fam || a["table"].empty() || a["chain"].empty()) continue;
        out.push_back({*fam, a["table"], a["chain"], NormaliseIptArgs(Unescape(body)), name});
      }
      continue;
    }
    std::istringstream ss(text);
    std::string line;
    while (std::getline(ss, line)) {
      std::vector<std::string> t = SplitWs(line);
      if (t.size() < 5) continue;
      auto fam = DirectFamily(t[0]);
      if (!fam) continue;
      // fields: ipv table chain priority args...
      out.push_back({*fam, t[1], t[2], NormaliseIptTokens({t.begin() + 4, t.end()}), name});
    }
  }
  return out;
}

}  // namespace nftc::owners
