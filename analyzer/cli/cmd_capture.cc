// `nft-coexist capture [--netns X] -o DIR [--force]`: writes a capture folder of the live
// system (the layout of shared/captures/<scenario>/) that every other command can load.
// Read-only towards the system: see live/snapshot.h.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "live/snapshot.h"
#include "load/capture_dir.h"
#include "nftc/error.h"

namespace nftc::cli {

void AddCaptureCommand(CLI::App& app, RunFn& run) {
  auto* sub = app.add_subcommand(
      "capture",
      "Write a capture folder of the live system: nft JSON and text, iptables-nft/legacy saves of "
      "the tables that exist, sysctls, addresses, routes, boot configuration, meta.txt");
  struct Opts {
    std::string netns, out;
    bool force = false;
  };
  auto opts = std::make_shared<Opts>();  // kept alive by the callbacks
  sub->add_option("--netns", opts->netns, "capture this network namespace (name in /run/netns or a path)");
  sub->add_option("-o,--output", opts->out, "folder to write (created with mode 0700)")->required();
  sub->add_flag("--force", opts->force, "replace an earlier capture in a non-empty folder");
  sub->callback([&run, opts] {
    run = [opts] {
      const std::string& netns = opts->netns;
      const std::string& out = opts->out;
      live::SnapshotOptions o;
      if (!netns.empty()) o.target = live::JoinTarget(netns);
      o.with_text = true;
      live::FileMap files = live::TakeSnapshot(o);
      // a capture must load back: check before writing anything
      Ruleset check;
      LoadCaptureFiles(files, out, check);
      WriteCaptureDir(files, out, opts->force);
      std::cerr << "nft-coexist: wrote " << files.size() << " files to " << out << " ("
                << check.tables.size() << " tables, " << check.ChainCount() << " chains, "
                << check.RuleCount() << " rules)\n";
      auto w = files.find("capture-warnings.txt");
      if (w != files.end()) std::cerr << "nft-coexist: warnings:\n" << w->second;
      return 0;
    };
  });
}

}  // namespace nftc::cli
