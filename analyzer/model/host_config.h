// The persistent configuration a capture (or the live host) holds: what the next boot will do.
// Read from HostContext::files (etc/docker/daemon.json, etc/sysctl.conf, etc/sysctl.d/*.conf,
// usr/lib/sysctl.d/*.conf, services.txt). Used by the pre-migration audit and the next-boot
// drift lints, so that both read the configuration the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nftc/model.h"

namespace nftc {

/// /etc/docker/daemon.json, the keys that decide Docker's firewall.
struct DaemonConfig {
  bool present = false;       ///< the file is in the capture
  bool parse_error = false;   ///< present but not a JSON object
  std::string file;           ///< its name in HostContext::files
  std::optional<std::string> firewall_backend;  ///< "firewall-backend": "iptables" | "nftables"
  std::optional<bool> ip_forward;               ///< "ip-forward"
  std::optional<bool> iptables;                 ///< "iptables"
};
DaemonConfig ReadDaemonConfig(const HostContext& h);

/// One `key = value` assignment in a sysctl configuration file.
struct SysctlSetting {
  std::string value;
  std::string file;  ///< name in HostContext::files, e.g. "etc/sysctl.d/99-docker.conf"
  int line = 0;
};

/// The value systemd-sysctl will set for `key` at boot: files of etc/sysctl.d, run/sysctl.d,
/// usr/local/lib/sysctl.d and usr/lib/sysctl.d ordered by file name (a name in an earlier
/// directory masks the same name in a later one), then etc/sysctl.conf; the last assignment
/// wins. Keys may be written with '/' and a leading '-'. nullopt: nothing sets it.
std::optional<SysctlSetting> PersistedSysctl(const HostContext& h, std::string_view key);

/// True when the capture holds any sysctl configuration file (so "nothing sets it" is a fact,
/// not a missing file).
bool HasSysctlConfig(const HostContext& h);

/// The systemd units whose boot state decides the firewall after a reboot: `capture` records
/// them in services.txt, the next-boot rules read them.
inline constexpr std::string_view kBootUnits[] = {
    "firewalld.service",    "nftables.service",       "ufw.service",        "docker.service",
    "docker.socket",        "libvirtd.service",       "libvirtd.socket",    "virtnetworkd.service",
    "virtnetworkd.socket",  "podman-restart.service", "podman.service",     "podman.socket",
    "incus.service",        "incus.socket",           "fail2ban.service",   "crowdsec.service",
    "sshguard.service"};

/// A unit's boot state from services.txt ("enabled", "disabled", "masked", "not-installed");
/// nullopt when the capture has no services.txt or does not list the unit.
std::optional<std::string> ServiceState(const HostContext& h, std::string_view unit);

}  // namespace nftc
