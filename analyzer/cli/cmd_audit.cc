// nft-coexist audit --migrate docker-to-nftables [INPUT]: the pre-migration checklist.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "audit/migrate_audit.h"
#include "cli/commands.h"
#include "input.h"

namespace nftc::cli {

void AddAuditCommand(CLI::App& app, RunFn& run) {
  struct Opts {
    InputOptions in;
    std::string migrate = "docker-to-nftables";
    std::string format = "text";
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("audit", "Pre-migration audit: what breaks when a program changes firewall backend");
  AddInputOptions(sub, o->in);
  sub->add_option("--migrate", o->migrate, "the migration to audit")
      ->check(CLI::IsMember({"docker-to-nftables"}))
      ->required();
  sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->footer("Exit status: 0 no blocker, 1 a blocker (e.g. Swarm overlay networks), 2 input error.");
  sub->callback([&run, o] {
    run = [o] {
      InputSpec spec{o->in.inputs.empty() ? std::string() : o->in.inputs.front(), o->in.netns};
      Ruleset rs = LoadInput(spec);
      auto items = AuditDockerToNftables(rs);
      if (o->format == "json") FormatAuditJson(items, std::cout);
      else FormatAuditText(items, std::cout);
      for (const auto& it : items)
        if (it.status == AuditItem::Status::kBlocker) return 1;
      return 0;
    };
  });
}

}  // namespace nftc::cli
