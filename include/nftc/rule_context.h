// What a lint rule sees: the model (with host context), graded iteration helpers, location
// builders, and Report(), which stamps the rule's ID, slug and severity.
//
// Later analyses (the hook graph of include/nftc/hook_graph.h, the packet simulator of
// include/nftc/packet_path.h) are added as methods that build them lazily, once per
// ruleset, in the shared LintSession; rules that do not call them do not pay for them and
// existing rules need no change when they arrive.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nftc/diagnostic.h"
#include "nftc/hook_graph.h"
#include "nftc/lint_rule.h"
#include "nftc/model.h"
#include "nftc/packet_path.h"

namespace nftc {

class LintSession;

/// Adds optional parts to a finding that Report() just recorded:
///   ctx.Report(ctx.At(t, c, r), "...").Hint("...").Related(ctx.At(t2, c2), "...");
/// Valid only until the next Report() call (do not keep it).
class ReportBuilder {
 public:
  ReportBuilder(std::vector<Diagnostic>* out, size_t index) : out_(out), index_(index) {}
  /// Another object involved (the other side of a conflict), with what it does.
  ReportBuilder& Related(Location where, std::string message);
  /// How to fix it, in words.
  ReportBuilder& Hint(std::string hint);
  /// An exact command that fixes it ("nft delete chain ip filter DOCKER").
  ReportBuilder& Fix(std::string command);
  /// A packet that shows the problem ("tcp 203.0.113.5:40000 -> 198.51.100.10:8082 iif eth0").
  ReportBuilder& Witness(std::string packet);
  /// Replaces the message as the fingerprint's key when the message holds volatile text.
  ReportBuilder& Key(std::string stable_key);
  /// Overrides the owner taken from the primary location's attribution.
  ReportBuilder& Owner(std::string owner);
  /// Sets this finding's severity (rules whose severity depends on the interaction they
  /// found, e.g. NC2001). Use only when ctx.severity() is the rule's default, so that a
  /// severity override from the config still wins.
  ReportBuilder& Level(Severity s);

 private:
  Diagnostic& d() { return (*out_)[index_]; }
  std::vector<Diagnostic>* out_;
  size_t index_;
};

/// The context of one rule run over one ruleset.
class RuleContext {
 public:
  /// `severity` is the rule's effective severity (default or overridden by the config).
  RuleContext(LintSession& session, const RuleEntry& rule, Severity severity,
              std::vector<Diagnostic>* out);

  /// The whole model: tables (nftables, iptables-nft, legacy), host context, load notes.
  const Ruleset& ruleset() const;
  /// Sysctls, interfaces, routes, legacy table names.
  const HostContext& host() const { return ruleset().host; }
  /// The rule being run.
  const RuleEntry& rule() const { return rule_; }
  /// The rule's effective severity (its default unless the config overrides it).
  Severity severity() const { return severity_; }

  // ---- Analyses (built lazily, shared by all rules of the run) ----
  /// The hook/priority graph of the whole ruleset (all tables, all backends).
  const HookGraph& Graph() const;
  /// Simulates one packet through the ruleset (see packet_path.h).
  TraceResult Simulate(const PacketQuery& q) const;
  /// Options for simulating ruleset(): they carry its hook plan, built once per lint run.
  /// (Given for a modified copy of the ruleset, the plan is ignored and built anew.)
  const SimOptions& SimOpts() const;

  // ---- Graded iteration helpers (model order: tables, then chains, then rules) ----
  void ForEachTable(const std::function<void(const Table&)>& fn) const;
  void ForEachChain(const std::function<void(const Table&, const Chain&)>& fn) const;
  /// Base chains only (chains with a hook).
  void ForEachBaseChain(const std::function<void(const Table&, const Chain&)>& fn) const;
  void ForEachRule(const std::function<void(const Table&, const Chain&, const Rule&)>& fn) const;
  void ForEachSet(const std::function<void(const Table&, const Set&)>& fn) const;

  // ---- Locations (fill the content digest that fingerprints need) ----
  Location AtRuleset() const;
  Location At(const Table& t) const;
  Location At(const Table& t, const Chain& c) const;
  Location At(const Table& t, const Chain& c, const Rule& r) const;
  Location AtSet(const Table& t, const Set& s) const;
  /// Where a loader note points: the rule, chain or table it names when they exist in the
  /// model (so owner, content and comments are found), else its names and SourceRef as given.
  Location AtNote(const LoadNote& n) const;

  /// Records a finding at `where`. The ID, slug and severity come from the registry entry
  /// (and the config); the owner from the innermost attributed object at `where`.
  ReportBuilder Report(Location where, std::string message);

 private:
  Location ResolveNote(const LoadNote& n) const;

  LintSession& session_;
  const RuleEntry& rule_;
  Severity severity_;
  std::vector<Diagnostic>* out_;
};

/// Handle-free digest of a rule's content (statements, comment, iptables-save line):
/// identical rules give identical digests on every load, whatever their handles.
std::string RuleContentDigest(const Rule& r);

}  // namespace nftc
