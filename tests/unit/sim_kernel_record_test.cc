// The simulator against what the real kernel did, without root and without ../shared:
// corpora/<name>/kernel-record.jsonl (and tests/kernel/cases/<name>/kernel-record.jsonl, the
// harness's own small capture that covers the kinds no corpus has) holds the kernel's answer
// for every differential packet of that capture (made by tests/kernel/run.py kernel +
// record, see tests/kernel/README.md).
// Each packet is simulated and compared the way tests/kernel/compare.py compares a live run:
// the nft steps (hook, family, table, chain, capture handle, verdict; reject prints as drop;
// iptables-legacy rules are invisible to nft monitor trace), the fate (delivered iff the
// single outcome is accept) and the delivered addresses and ports (a NAT port range must
// hold the port the kernel picked).
//
// The tests per expression and verdict kind replay the recorded packets the table in
// tests/kernel/README.md names for that kind, and first check that the kernel's own trace
// shows the kind (so the table cannot drift from the records).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nftc/packet_path.h"
#include "testlib/testlib.h"

using namespace nftc;
using namespace nftc::test;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {


std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string Verdict(const std::string& v) {
  std::string l = Lower(v);
  return l.rfind("reject", 0) == 0 ? "drop" : l;
}

struct Corpus {
  Ruleset rs;
  std::map<std::string, json> recs;  // id -> record
  std::vector<std::string> order;
};

// Capture folders with a kernel record, as paths relative to the project.
std::vector<std::string> RecordedCorpora() {
  std::vector<std::string> out;
  for (const char* parent : {"corpora", "tests/kernel/cases"}) {
    if (!fs::is_directory(ProjectDir() + "/" + parent)) continue;
    for (const auto& d : fs::directory_iterator(ProjectDir() + "/" + parent))
      if (fs::exists(d.path() / "kernel-record.jsonl")) out.push_back(std::string(parent) + "/" + d.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const Corpus& GetCorpus(const std::string& name) {
  static std::map<std::string, Corpus> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  Corpus c;
  std::string dir = ProjectDir() + "/" + name;
  c.rs = Load(dir);
  std::istringstream in(ReadFile(dir + "/kernel-record.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json j = json::parse(line);
    if (!j.contains("id")) continue;  // the meta line
    std::string id = j["id"].get<std::string>();
    c.order.push_back(id);
    c.recs[id] = std::move(j);
  }
  return cache.emplace(name, std::move(c)).first->second;
}

u128 Addr(const json& v, bool& v6) {
  u128 a = 0;
  REQUIRE(ParseIpAddress(v.get<std::string>(), a, v6));
  return a;
}

PacketQuery QueryOf(const json& p) {
  PacketQuery q;
  bool v6 = false;
  if (p.value("local_out", false)) q.local_out = true;
  else q.iif = p["iif"].get<std::string>();
  if (p.contains("src")) q.src = Addr(p["src"], v6);
  q.dst = Addr(p["dst"], v6);
  q.ipv6 = v6;
  std::string proto = p["proto"].get<std::string>();
  q.proto = proto == "tcp" ? 6 : proto == "udp" ? 17 : proto == "icmpv6" || v6 ? 58 : 1;
  if (p.value("icmp_type", "") == "echo-request") q.icmp_type = v6 ? 128 : 8;
  if (p.contains("sport")) q.sport = p["sport"].get<uint16_t>();
  if (p.contains("dport")) q.dport = p["dport"].get<uint16_t>();
  return q;
}

// The simulator's value agrees with the kernel's: equal, or a port range that holds it.
bool ValueAgrees(const std::string& sim, const std::string& kernel) {
  if (sim == kernel) return true;
  auto dash = sim.find('-');
  if (dash == std::string::npos || sim.find_first_not_of("0123456789-") != std::string::npos ||
      kernel.empty() || kernel.find_first_not_of("0123456789") != std::string::npos)
    return false;
  uint64_t lo = std::stoull(sim.substr(0, dash)), hi = std::stoull(sim.substr(dash + 1)), k = std::stoull(kernel);
  return lo <= k && k <= hi;
}

std::string JsonText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Disagreements between the simulator and the recorded kernel run (empty: agree).
std::vector<std::string> Replay(const Ruleset& rs, const json& rec) {
  std::vector<std::string> out;
  TraceResult r = Simulate(rs, QueryOf(rec["packet"]));
  if (r.outcomes.size() != 1 || r.verdict == "depends") {
    out.push_back("simulator did not decide: " + std::to_string(r.outcomes.size()) + " outcomes");
    return out;
  }
  const Outcome& o = r.outcomes[0];
  std::vector<std::string> ks, ss;
  for (const auto& s : rec["steps"])
    ks.push_back(s["hook"].get<std::string>() + " " + s["family"].get<std::string>() + " " +
                 s["table"].get<std::string>() + " " + s["chain"].get<std::string>() + " #" +
                 (s["handle"].is_null() ? "-" : std::to_string(s["handle"].get<int64_t>())) + " " +
                 Verdict(s["verdict"].get<std::string>()));
  for (const auto& s : o.steps) {
    if (s.legacy) continue;  // x_tables: not in nft monitor trace
    ss.push_back(std::string(ToString(s.hook)) + " " + std::string(ToString(s.family)) + " " + s.table + " " + s.chain + " #" +
                 (s.handle ? std::to_string(*s.handle) : "-") + " " + Verdict(s.verdict));
  }
  if (ks != ss) {
    size_t i = 0;
    while (i < ks.size() && i < ss.size() && ks[i] == ss[i]) ++i;
    out.push_back("step " + std::to_string(i + 1) + ": kernel " + (i < ks.size() ? ks[i] : "(end)") +
                  ", simulator " + (i < ss.size() ? ss[i] : "(end)"));
  }
  const json& d = rec["delivered"];
  bool delivered = !d.is_null();
  if (delivered != (o.verdict == "accept"))
    out.push_back("fate: kernel " + rec.value("fate", std::string("?")) + ", simulator " + o.verdict);
  if (delivered && o.verdict == "accept") {
    std::string to = d["to"].get<std::string>();
    if (to.rfind("peer-", 0) == 0) to = to.substr(5);
    if (o.delivered != to) out.push_back("delivered to: kernel " + to + ", simulator " + o.delivered);
    std::map<std::string, std::string> sim{{"src", o.final.src}, {"dst", o.final.dst},
                                           {"sport", o.final.sport}, {"dport", o.final.dport}};
    for (const auto& [k, v] : sim) {
      if (!d.contains(k) || d[k].is_null() || v.empty() || v == "any" || v == "?") continue;
      if (!ValueAgrees(v, JsonText(d[k]))) out.push_back("delivered " + k + ": kernel " + JsonText(d[k]) + ", simulator " + v);
    }
  }
  return out;
}

// Replays one recorded packet whose kernel trace must show `kernel_shows` in a step's rule
// text or verdict (or the kind "policy", or "fate:delivered"/"fate:dropped").
void ReplayKind(const std::string& corpus, const std::string& id, const std::string& kernel_shows) {
  INFO(corpus << " " << id << " (" << kernel_shows << ")");
  const Corpus& c = GetCorpus(corpus);
  auto it = c.recs.find(id);
  REQUIRE(it != c.recs.end());
  const json& rec = it->second;
  bool shown = false;
  for (const auto& s : rec["steps"]) {
    std::string text = (s["rule"].is_null() ? "" : s["rule"].get<std::string>()) + " | " +
                       s["verdict"].get<std::string>() + " | " + s["kind"].get<std::string>();
    if (text.find(kernel_shows) != std::string::npos) shown = true;
  }
  if (kernel_shows == "fate:delivered") shown = !rec["delivered"].is_null();
  if (kernel_shows == "fate:dropped") shown = rec["delivered"].is_null();
  if (kernel_shows == "accept, then another chain") {  // an accepting rule ends only its chain
    shown = false;
    const json& st = rec["steps"];
    for (size_t i = 0; i + 1 < st.size(); ++i)
      if (st[i]["kind"] == "rule" && st[i]["verdict"] == "accept" &&
          (st[i + 1]["table"] != st[i]["table"] || st[i + 1]["family"] != st[i]["family"]))
        shown = true;
  }
  CHECK(shown);
  std::vector<std::string> diffs = Replay(c.rs, rec);
  for (const auto& x : diffs) UNSCOPED_INFO(x);
  CHECK(diffs.empty());
}

}  // namespace

TEST_CASE("kernel record: every recorded corpus packet replays as the kernel ran it", "[sim][kernel-record]") {
  std::vector<std::string> corpora = RecordedCorpora();
  REQUIRE(corpora.size() >= 3);
  size_t total = 0, agree = 0;
  for (const auto& name : corpora) {
    const Corpus& c = GetCorpus(name);
    for (const auto& id : c.order) {
      INFO(name << " " << id);
      std::vector<std::string> diffs = Replay(c.rs, c.recs.at(id));
      for (const auto& x : diffs) UNSCOPED_INFO(x);
      CHECK(diffs.empty());
      ++total;
      if (diffs.empty()) ++agree;
    }
  }
  WARN("kernel records: " << agree << "/" << total << " packets agree over " << corpora.size() << " corpora");
  CHECK(total >= 100);
}

// One test per expression kind and verdict kind: the recorded packets tests/kernel/README.md
// names for it ("kinds" = tests/kernel/cases/kinds, the harness's own small capture).
namespace {
const char* kKp = "corpora/kube-proxy-nft-firewalld";
const char* kF2b = "corpora/fail2ban-nft-docker-published";
const char* kSeed = "corpora/fedora43-seed";
const char* kStale = "corpora/stale-legacy-docker29";
const char* kZones = "corpora/firewalld-real-zones";
const char* kKinds = "tests/kernel/cases/kinds";
}  // namespace

TEST_CASE("kernel record: payload fields (addresses, ports, prefix)", "[sim][kernel-record]") {
  ReplayKind(kKp, "h-kp-07-unallocated-clusterip", "ip daddr 172.30.0.0/16 drop");
  ReplayKind(kF2b, "h-f2bd-05-sshd-banned-22", "tcp dport 22 ip saddr @addr-set-sshd");
  ReplayKind(kKinds, "k-15-v6-ssh", "tcp dport 22 accept");
}

TEST_CASE("kernel record: meta l4proto, iifname/oifname, iif by index", "[sim][kernel-record]") {
  ReplayKind(kF2b, "h-f2bd-08-recidive-v6-80", "meta l4proto tcp ip6 saddr @addr6-set-recidive");
  ReplayKind(kZones, "h-fz-01-public-ssh", "iifname \"eth0\"");
  ReplayKind(kSeed, "h-f43-05-wan-to-vm", "oif \"virbr0\"");
}

TEST_CASE("kernel record: iifname wildcard", "[sim][kernel-record]") {
  ReplayKind(kKinds, "k-07-dns-marked-wildcard", "iifname \"br-*\"");
  ReplayKind(kKinds, "k-12-wan-to-app-80-goto", "oifname \"br-*\"");
}

TEST_CASE("kernel record: ct state and ct status", "[sim][kernel-record]") {
  ReplayKind(kKp, "h-kp-02-kubelet-10250", "ct state new");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "ct status dnat accept");
}

TEST_CASE("kernel record: meta mark and ct mark set, then read", "[sim][kernel-record]") {
  ReplayKind(kKinds, "k-07-dns-marked-wildcard", "meta mark 0x00000010 udp dport 53 accept");
  ReplayKind(kKinds, "k-11-app-egress-ctmark-snat", "ct mark 0x00000020 oifname \"eth0\" accept");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "meta mark set meta mark ^ 0x00004000");
}

TEST_CASE("kernel record: fib daddr type local, fib saddr rp filter", "[sim][kernel-record]") {
  ReplayKind(kF2b, "h-f2bd-01-nginx-banned-8080-dnat", "fib daddr type local");
  ReplayKind(kKinds, "k-14-rpfilter-fib-saddr", "fib saddr . iif oif missing drop");
}

TEST_CASE("kernel record: named and anonymous sets, intervals, ranges, concatenations", "[sim][kernel-record]") {
  ReplayKind(kF2b, "h-f2bd-04-nginx-banned-host-80", "tcp dport { 80, 443, 8080 }");
  ReplayKind(kKinds, "k-02-blocked-range-element", "ip saddr @blocked drop");
  ReplayKind(kKinds, "k-03-blocked-prefix-element", "ip saddr @blocked drop");
  ReplayKind(kKinds, "k-04-port-range", "tcp dport 8000-8099 accept");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "meta l4proto . th dport vmap @service-nodeports");
  ReplayKind(kKinds, "k-05-ping", "icmp type echo-request accept");
}

TEST_CASE("kernel record: negations", "[sim][kernel-record]") {
  ReplayKind(kF2b, "h-f2bd-01-nginx-banned-8080-dnat", "iifname != \"docker0\"");
  ReplayKind(kKinds, "k-13-wan-to-app-22-negation", "tcp dport != 80 drop");
  ReplayKind(kKinds, "k-08-web-outside-return-reject", "ip saddr != 198.51.100.0/24 return");
}

TEST_CASE("kernel record: accept ends only its chain; drop and reject are final", "[sim][kernel-record]") {
  ReplayKind(kSeed, "h-f43-06-container-egress-masq", "accept, then another chain");
  ReplayKind(kKp, "h-kp-07-unallocated-clusterip", "fate:dropped");
  ReplayKind(kF2b, "h-f2bd-04-nginx-banned-host-80", "reject with icmp port-unreachable");
  ReplayKind(kKinds, "k-16-v6-other-reset", "reject with tcp reset");
}

TEST_CASE("kernel record: jump, goto, return, vmap, policies", "[sim][kernel-record]") {
  ReplayKind(kKinds, "k-01-ssh-via-jump", "jump services");
  ReplayKind(kKinds, "k-12-wan-to-app-80-goto", "goto to_app");
  ReplayKind(kKinds, "k-06-dns-unmarked-policy-drop", "return | return");
  ReplayKind(kKinds, "k-06-dns-unmarked-policy-drop", "drop | policy");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "vmap @service-nodeports");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "numgen random mod 1 vmap");
  ReplayKind(kZones, "h-fz-01-public-ssh", "accept | policy");
}

TEST_CASE("kernel record: dnat, snat, masquerade, redirect", "[sim][kernel-record]") {
  ReplayKind(kF2b, "h-f2bd-01-nginx-banned-8080-dnat", "dnat to 172.17.0.2:80");
  ReplayKind(kKinds, "k-11-app-egress-ctmark-snat", "snat to 198.51.100.10");
  ReplayKind(kF2b, "h-f2bd-11-container-egress-masq", "masquerade");
  ReplayKind(kKp, "h-kp-01-nodeport-30080", "masquerade fully-random");
  ReplayKind(kKinds, "k-10-redirect-2222", "redirect to :22");
  ReplayKind(kStale, "h-sl-02-stale-legacy-dnat-8082", "fate:dropped");
}
