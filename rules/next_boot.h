// Shared by NC4005/NC4006 (next-boot drift): what the persistent configuration of a capture
// (or of a live read) says the next boot gives. The files are read through
// analyzer/model/host_config.h (the same reading as the pre-migration audit: sysctl.d order,
// daemon.json, services.txt); this adds unit-state classes, firewalld.conf, ufw.conf and
// /etc/ufw/sysctl.conf, and which programs' rules are loaded now.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/host_config.h"
#include "nftc/model.h"

namespace nftc::next_boot {

/// Enablement of a systemd unit as services.txt records it.
enum class UnitState : uint8_t {
  kUnknown,   ///< not listed, or listed without a state
  kEnabled,   ///< enabled, enabled-runtime, generated, alias: started at boot
  kDisabled,  ///< disabled, static, indirect: not started at boot by itself
  kMasked,    ///< masked: cannot start at all
  kMissing,   ///< not-installed, not-found
};

/// The persistent configuration of a host, read from HostContext::files.
struct BootConfig {
  /// The input holds persistent configuration: services.txt (always written by `capture`)
  /// or copied files under etc/ or usr/lib/sysctl.d/. False for plain nft JSON / text.
  bool captured = false;
  /// services.txt was present, so a unit it does not list has state kUnknown, and a
  /// configuration file the capture copies (daemon.json, firewalld.conf, sysctl.d) that is
  /// absent really is absent.
  bool have_services = false;
  /// The ruleset is that of another network namespace than the host's (live --netns, or a
  /// folder the capture command wrote with --netns): its sysctls are not set at boot and
  /// the host's units and /etc files (which the capture copies) do not describe it.
  bool other_netns = false;
  std::map<std::string, UnitState> units;

  /// What systemd-sysctl sets at boot for the forwarding switches (PersistedSysctl);
  /// net.ipv4.conf.all.forwarding counts as net.ipv4.ip_forward (the kernel keeps the two in
  /// step; the later assignment of either wins).
  std::optional<SysctlSetting> ip_forward, ipv6_forwarding;

  // /etc/docker/daemon.json
  bool have_daemon_json = false;
  std::string daemon_json_error;       ///< not valid JSON: Docker itself would not start
  std::string docker_backend = "iptables";  ///< "iptables" (default), "nftables"
  bool docker_rules = true;            ///< "iptables": false: Docker creates no rules at all
  bool docker_ip_forward = true;       ///< "ip-forward" (default true)

  // /etc/firewalld/firewalld.conf
  bool have_firewalld_conf = false;
  std::string firewalld_backend = "nftables";  ///< FirewallBackend= (default nftables)

  // /etc/ufw/ufw.conf ENABLED=yes|no; nullopt when the file was not captured
  std::optional<bool> ufw_enabled;
  /// /etc/ufw/sysctl.conf (ufw applies it when it starts): its forwarding settings.
  std::optional<SysctlSetting> ufw_ip_forward, ufw_ipv6_forwarding;

  UnitState Unit(std::string_view unit) const;
  /// True when any of `units` is kEnabled.
  bool AnyEnabled(std::initializer_list<std::string_view> units) const;
  /// True when every one of `units` is known and none is enabled.
  bool NoneEnabled(std::initializer_list<std::string_view> units) const;
};

/// Reads the persistent configuration from `rs.host.files` (and rs.origin for live reads).
BootConfig ReadBootConfig(const Ruleset& rs);

/// "1", "2", ... (a positive integer) -> true; "0" -> false; nullopt otherwise.
std::optional<bool> SysctlOn(std::string_view value);

/// True when `t` (an iptables-nft or iptables-legacy table) holds a chain or rule that the
/// owner attribution gives to `owner`. `skip_direct` leaves out firewalld's *_direct chains
/// (the direct interface uses iptables with either firewalld backend).
bool IptablesTableOf(const Table& t, std::string_view owner, bool skip_direct = false);

/// Names of the chains of `t` that `owner` owns (or that hold a rule it owns), in order.
std::vector<std::string> OwnedChains(const Table& t, std::string_view owner);

/// "enabled" / "disabled" / "masked" / "not installed" / "unknown".
std::string_view ToString(UnitState s);

}  // namespace nftc::next_boot
