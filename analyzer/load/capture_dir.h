// Capture folders (the layout of shared/captures/<scenario>/): reading one into a Ruleset,
// and writing one safely (mode 0600 files in a 0700 folder, never through a symlink).
#pragma once

#include <map>
#include <string>

#include "nftc/model.h"

namespace nftc {

/// The files of a capture folder by relative name ("ruleset.json", "etc/docker/daemon.json").
using CaptureFiles = std::map<std::string, std::string>;

/// Reads the files of a capture folder: regular files at the top level and under etc/
/// and usr/ (symlinks are skipped, never followed). Throws InputError when `dir` is not a
/// readable folder or a file is unreadable.
CaptureFiles ReadCaptureDir(const std::string& dir);

/// Builds the model from capture files: ruleset.json (required: InputError naming the
/// folder and the file when missing), the iptables-nft-save texts merged into the
/// iptables-nft tables, legacy tables from the *-legacy-save texts, and the host context.
/// `origin` names the folder (or "live", "live:NETNS"); the ruleset's SourceRefs name
/// `ruleset_ref` (default: origin + "/ruleset.json").
void LoadCaptureFiles(const CaptureFiles& files, const std::string& origin, Ruleset& out,
                      const std::string& ruleset_ref = "");

/// ReadCaptureDir + LoadCaptureFiles.
Ruleset LoadCaptureDir(const std::string& dir);

/// Writes `files` as a capture folder. Creates `dir` with mode 0700 (and subfolders),
/// files with mode 0600, using O_NOFOLLOW|O_EXCL so no symlink is ever followed or file
/// replaced behind the caller's back. An existing non-empty `dir` is refused unless
/// `force`; with `force` only the files a capture writes are removed first. A symlink as
/// `dir` is always refused. Throws InputError.
void WriteCaptureDir(const CaptureFiles& files, const std::string& dir, bool force);

}  // namespace nftc
