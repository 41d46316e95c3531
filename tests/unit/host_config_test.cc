// Persistent configuration as systemd-sysctl and dockerd read it (sysctl.d(5), Docker's
// daemon.json documentation), on hand-made HostContexts and on the seed corpora.
#include <catch2/catch.hpp>

#include "model/host_config.h"
#include "testlib/testlib.h"

using namespace nftc;

TEST_CASE("sysctl: the last assignment in systemd-sysctl's order wins", "[host_config]") {
  HostContext h;
  h.files["usr/lib/sysctl.d/50-default.conf"] = "net.ipv4.ip_forward = 0\n";
  h.files["etc/sysctl.d/99-docker.conf"] = "# forwarding for containers\nnet/ipv4/ip_forward=1\n";
  auto s = PersistedSysctl(h, "net.ipv4.ip_forward");
  REQUIRE(s);
  CHECK(s->value == "1");
  CHECK(s->file == "etc/sysctl.d/99-docker.conf");
  CHECK(s->line == 2);
  // /etc/sysctl.conf is read after every sysctl.d file.
  h.files["etc/sysctl.conf"] = "-net.ipv4.ip_forward = 0\n";
  s = PersistedSysctl(h, "net.ipv4.ip_forward");
  REQUIRE(s);
  CHECK(s->value == "0");
  CHECK(s->file == "etc/sysctl.conf");
}

TEST_CASE("sysctl: a file in /etc/sysctl.d masks the same name in /usr/lib/sysctl.d", "[host_config]") {
  HostContext h;
  h.files["usr/lib/sysctl.d/99-fwd.conf"] = "net.ipv4.ip_forward=1\n";
  h.files["etc/sysctl.d/99-fwd.conf"] = "# disabled by the admin\n";
  CHECK_FALSE(PersistedSysctl(h, "net.ipv4.ip_forward"));
  CHECK(HasSysctlConfig(h));
}

TEST_CASE("sysctl: a longer key with the same prefix and comments do not count", "[host_config]") {
  HostContext h;
  h.files["etc/sysctl.d/10-net.conf"] =
      "net.ipv4.ip_forward_use_pmtu = 1\n# net.ipv4.ip_forward = 1\n; net.ipv4.ip_forward = 1\n";
  CHECK_FALSE(PersistedSysctl(h, "net.ipv4.ip_forward"));
  h.files["etc/sysctl.d/README"] = "net.ipv4.ip_forward = 1\n";  // not a .conf file
  CHECK_FALSE(PersistedSysctl(h, "net.ipv4.ip_forward"));
  CHECK_FALSE(HasSysctlConfig(HostContext{}));
}

TEST_CASE("daemon.json: backend, ip-forward, iptables and broken files", "[host_config]") {
  HostContext h;
  CHECK_FALSE(ReadDaemonConfig(h).present);
  h.files["etc/docker/daemon.json"] = R"({"firewall-backend": "nftables", "ip-forward": false})";
  DaemonConfig d = ReadDaemonConfig(h);
  CHECK(d.present);
  CHECK_FALSE(d.parse_error);
  CHECK(d.firewall_backend == std::optional<std::string>("nftables"));
  CHECK(d.ip_forward == std::optional<bool>(false));
  CHECK_FALSE(d.iptables.has_value());
  h.files["etc/docker/daemon.json"] = "{\"firewall-backend\": ";
  d = ReadDaemonConfig(h);
  CHECK(d.present);
  CHECK(d.parse_error);
}

TEST_CASE("services.txt: unit states of the seed host after the migration", "[host_config]") {
  // corpora/fedora43-migrated-no-reboot/services.txt, written by its corpus script.
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/fedora43-migrated-no-reboot");
  CHECK(ServiceState(rs.host, "docker.service") == std::optional<std::string>("enabled"));
  CHECK(ServiceState(rs.host, "nftables.service") == std::optional<std::string>("disabled"));
  CHECK_FALSE(ServiceState(rs.host, "ufw.service"));
  DaemonConfig d = ReadDaemonConfig(rs.host);
  CHECK(d.firewall_backend == std::optional<std::string>("nftables"));
}
