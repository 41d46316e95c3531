// Host context parsing: sysctl.txt, `ip -br addr`, `ip -j addr`, routes, table names,
// checked against the shared captures (their README states the addresses).
#include <catch2/catch.hpp>

#include <filesystem>

#include "load/capture_dir.h"
#include "load/host_context.h"
#include "nftc/error.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

u128 V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

bool HasAddr(const Interface& i, std::string_view cidr) {
  auto want = ParseAddrPrefix(cidr);
  REQUIRE(want);
  for (const HostAddr& a : i.addrs) {
    if (a.v6 == want->v6 && a.addr == want->addr && a.plen == want->plen) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("ParseAddrPrefix reads v4 and v6 prefixes") {
  auto a = ParseAddrPrefix("198.51.100.10/24");
  REQUIRE(a);
  CHECK_FALSE(a->v6);
  CHECK(a->addr == V4(198, 51, 100, 10));
  CHECK(a->plen == 24);
  auto b = ParseAddrPrefix("2001:db8:100::10/64");
  REQUIRE(b);
  CHECK(b->v6);
  CHECK(static_cast<uint64_t>(b->addr >> 64) == 0x20010db801000000ull);
  CHECK(static_cast<uint64_t>(b->addr) == 0x10ull);
  CHECK(b->plen == 64);
  CHECK(ParseAddrPrefix("10.0.0.1")->plen == 32);
  CHECK_FALSE(ParseAddrPrefix("10.0.0.1/33"));
  CHECK_FALSE(ParseAddrPrefix("10.0.0.1/"));
  CHECK_FALSE(ParseAddrPrefix("eth0"));
}

TEST_CASE("ip -br addr quirks: @peer suffixes, empty address lists, LOWERLAYERDOWN") {
  auto ifs = ParseIpBriefAddr(
      "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n"
      "eth0@eth0-peer   UP             198.51.100.10/24 2001:db8:100::10/64 fe80::1/64 \n"
      "veth73aa602@if5  UP             fe80::b451:7fff:fe8f:c06e/64 \n"
      "ctr-eth0@veth7c2a1e0 DOWN           \n"
      "veth7c2a1e0@ctr-eth0 LOWERLAYERDOWN \n"
      "\n");
  REQUIRE(ifs.size() == 5);
  CHECK(ifs[1].name == "eth0");
  CHECK(ifs[1].state == "UP");
  CHECK(ifs[1].addrs.size() == 3);
  CHECK(ifs[2].name == "veth73aa602");
  CHECK(ifs[3].name == "ctr-eth0");
  CHECK(ifs[3].addrs.empty());
  CHECK(ifs[4].name == "veth7c2a1e0");
  CHECK(ifs[4].state == "LOWERLAYERDOWN");
}

TEST_CASE("ip -j addr gives names, states, masters and addresses") {
  auto ifs = ParseIpJsonAddr(
      R"([{"ifindex":2,"link":"eth0","ifname":"eth0-peer","master":"br0","operstate":"UP",)"
      R"("addr_info":[{"family":"inet6","local":"fe80::7000:1fff:feb0:8d59","prefixlen":64}]},)"
      R"({"ifindex":3,"ifname":"eth0","operstate":"UP","addr_info":[{"family":"inet","local":"198.51.100.10","prefixlen":24}]}])",
      "t");
  REQUIRE(ifs.size() == 2);
  CHECK(ifs[0].name == "eth0-peer");
  CHECK(ifs[0].master == "br0");
  CHECK(HasAddr(ifs[1], "198.51.100.10/24"));
  CHECK_THROWS_AS(ParseIpJsonAddr("{not json", "t"), InputError);
}

TEST_CASE("routes: types, default, gateways, v6 section, multipath") {
  auto r = ParseIpRoutes(
      "# ip route\n"
      "default via 198.51.100.1 dev eth0 \n"
      "blackhole 10.9.0.0/16 \n"
      "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n"
      "default proto static metric 100 \n"
      "\tnexthop via 192.0.2.1 dev eth1 weight 1 \n"
      "\tnexthop via 192.0.2.2 dev eth2 weight 1 \n"
      "# ip -6 route\n"
      "2001:db8:100::/64 dev eth0 proto kernel metric 256 pref medium\n"
      "default dev wg0 metric 1024 pref medium\n");
  REQUIRE(r.size() == 6);
  CHECK(r[0].plen == 0);
  CHECK(r[0].dev == "eth0");
  CHECK(r[0].via == V4(198, 51, 100, 1));
  CHECK_FALSE(r[0].v6);
  CHECK(r[1].type == "blackhole");
  CHECK(r[1].dst == V4(10, 9, 0, 0));
  CHECK(r[1].plen == 16);
  CHECK(r[2].dev == "docker0");
  CHECK_FALSE(r[2].via);
  CHECK(r[3].dev == "eth1");
  CHECK(r[3].via == V4(192, 0, 2, 1));
  CHECK(r[4].v6);
  CHECK(r[4].plen == 64);
  CHECK(r[5].v6);  // "default" in the -6 section without a gateway
  CHECK(r[5].dev == "wg0");
}

TEST_CASE("sysctl text: comments, spaces, slashes") {
  auto s = ParseSysctlText("# c\n; c\nnet.ipv4.ip_forward = 1\nnet/ipv6/conf/all/forwarding=0\n-net.x.y=2\nbogus\n");
  CHECK(s.at("net.ipv4.ip_forward") == "1");
  CHECK(s.at("net.ipv6.conf.all.forwarding") == "0");
  CHECK(s.at("net.x.y") == "2");
  CHECK(s.size() == 3);
}

TEST_CASE("host context of every shared capture") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("shared/ not found: skipped");
    return;
  }
  int seen = 0;
  for (const auto& e : std::filesystem::directory_iterator(*shared + "/captures")) {
    if (!e.is_directory()) continue;
    std::string name = e.path().filename().string();
    INFO(name);
    CaptureFiles files = ReadCaptureDir(e.path().string());
    HostContext h;
    FillHostContext(files, e.path().string(), h);
    ++seen;
    // README: every scenario ran with eth0 198.51.100.10/24 + 2001:db8:100::10/64
    REQUIRE(h.have_interfaces);
    const Interface* eth0 = h.FindInterface("eth0");
    REQUIRE(eth0);
    CHECK(eth0->state == "UP");
    CHECK(HasAddr(*eth0, "198.51.100.10/24"));
    CHECK(HasAddr(*eth0, "2001:db8:100::10/64"));
    CHECK(h.FindInterface("eth0-peer"));
    for (const Interface& i : h.interfaces) CHECK(i.name.find('@') == std::string::npos);
    if (const Interface* d = h.FindInterface("docker0")) CHECK(HasAddr(*d, "172.17.0.1/16"));
    if (const Interface* v = h.FindInterface("virbr0")) CHECK(HasAddr(*v, "192.168.122.1/24"));
    REQUIRE(h.have_sysctl);
    CHECK(h.Sysctl("net.ipv4.ip_forward"));
    CHECK(h.Sysctl("net.bridge.bridge-nf-call-iptables") == std::optional<std::string>("1"));
    CHECK_FALSE(h.have_routes);  // these captures have no routes.txt
    CHECK(h.files.count("meta.txt") == 1);
    CHECK(h.files.count("ruleset.json") == 0);
    REQUIRE(h.legacy_table_names.count("ip") == 1);
    if (name == "iptables-legacy-docker-libvirt") {
      CHECK(h.legacy_table_names["ip"] == std::vector<std::string>{"mangle", "nat", "filter"});
      CHECK(h.legacy_table_names["ip6"] == std::vector<std::string>{"mangle", "nat", "filter"});
    } else if (name == "combined-firewalld-fail2ban-iptnft-legacy") {
      CHECK(h.legacy_table_names["ip"] == std::vector<std::string>{"nat", "filter"});
      CHECK(h.legacy_table_names["ip6"] == std::vector<std::string>{"filter"});
    } else {
      CHECK(h.legacy_table_names["ip"].empty());
    }
    // README: firewalld and dockerd turn on ip_forward; fail2ban and ufw alone do not
    if (name == "fail2ban-nftables" || name == "ufw-iptables-nft") CHECK(h.Sysctl("net.ipv4.ip_forward") == std::optional<std::string>("0"));
    if (name.rfind("firewalld-docker29", 0) == 0) CHECK(h.Sysctl("net.ipv6.conf.all.forwarding") == std::optional<std::string>("1"));
  }
  CHECK(seen >= 12);
}
