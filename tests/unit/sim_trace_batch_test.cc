// `nft-coexist trace --packets FILE.jsonl`: one `--format json` document per line (plus
// "id"), the same answers as one `trace` per packet; bad lines are input errors (exit 2)
// with their line number.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testlib/testlib.h"

using nftc::test::ProjectDir;
using nftc::test::ReadFile;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Run {
  int rc;
  std::string out, err;
};

Run Trace(const std::string& args) {
  static int n = 0;
  fs::path base = fs::temp_directory_path() / ("nftc-trace-batch-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::string cmd = "'" NFTC_BINARY "' trace " + args + " >'" + base.string() + ".out' 2>'" + base.string() + ".err'";
  int st = std::system(cmd.c_str());
  Run r{WIFEXITED(st) ? WEXITSTATUS(st) : -1, ReadFile(base.string() + ".out"), ReadFile(base.string() + ".err")};
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return r;
}

std::string WriteFile(const std::string& text) {
  static int n = 0;
  fs::path p = fs::temp_directory_path() / ("nftc-trace-batch-" + std::to_string(::getpid()) + "-in" + std::to_string(n++) + ".jsonl");
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace

TEST_CASE("trace --packets answers each line as trace --format json does", "[sim][batch]") {
  std::string corpus = ProjectDir() + "/corpora/fail2ban-nft-docker-published";
  std::string pk = WriteFile(
      "{\"id\": \"a\", \"iif\": \"eth0\", \"src\": \"192.0.2.20\", \"dst\": \"198.51.100.10\", \"proto\": \"tcp\", "
      "\"sport\": 42001, \"dport\": 8080}\n"
      "\n"
      "{\"id\": \"b\", \"iif\": \"eth0\", \"src\": \"192.0.2.10\", \"dst\": \"198.51.100.10\", \"proto\": \"tcp\", "
      "\"sport\": 42005, \"dport\": 22}\n"
      "{\"local_out\": true, \"dst\": \"8.8.8.8\", \"proto\": \"icmp\", \"icmp_type\": \"echo-request\"}\n");
  Run batch = Trace("'" + corpus + "' --packets '" + pk + "'");
  REQUIRE(batch.rc == 0);
  std::istringstream in(batch.out);
  std::vector<json> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(json::parse(l));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["id"] == "a");
  CHECK(lines[1]["id"] == "b");
  CHECK_FALSE(lines[2].contains("id"));
  const char* single[] = {
      "--iif eth0 --src 192.0.2.20 --dst 198.51.100.10 --proto tcp --sport 42001 --dport 8080",
      "--iif eth0 --src 192.0.2.10 --dst 198.51.100.10 --proto tcp --sport 42005 --dport 22",
      "--local-out --dst 8.8.8.8 --proto icmp --icmp-type echo-request"};
  for (int i = 0; i < 3; ++i) {
    Run one = Trace("'" + corpus + "' " + single[i] + " --format json");
    REQUIRE(one.rc == 0);
    json b = lines[i];
    b.erase("id");
    CHECK(b == json::parse(one.out));
  }
  // corpora/fail2ban-nft-docker-published/kernel-record.jsonl: the banned source reaches the
  // container through the DNAT (h-f2bd-01), the sshd ban rejects on input (h-f2bd-05).
  CHECK(lines[0]["verdict"] == "accept");
  CHECK(lines[1]["verdict"] == "reject");
  fs::remove(pk);
}

TEST_CASE("trace --packets: bad lines are input errors with their line", "[sim][batch]") {
  std::string corpus = ProjectDir() + "/corpora/fail2ban-nft-docker-published";
  std::string typo = WriteFile("{\"iif\": \"eth0\", \"dst\": \"198.51.100.10\"}\n{\"ifi\": \"eth0\"}\n");
  Run r = Trace("'" + corpus + "' --packets '" + typo + "'");
  CHECK(r.rc == 2);
  CHECK(r.err.find(typo + ":2: unknown packet key \"ifi\"") != std::string::npos);
  std::string bad = WriteFile("{\"iif\": \"eth0\", \"dst\": \"not-an-address\"}\n");
  r = Trace("'" + corpus + "' --packets '" + bad + "'");
  CHECK(r.rc == 2);
  CHECK(r.err.find(bad + ":1:") != std::string::npos);
  std::string broken = WriteFile("{\"iif\": \n");
  CHECK(Trace("'" + corpus + "' --packets '" + broken + "'").rc == 2);
  CHECK(Trace("'" + corpus + "' --packets /nonexistent.jsonl").rc == 2);
  CHECK(Trace("'" + corpus + "' --packets '" + typo + "' --iif eth0").rc == 2);
  for (const auto& f : {typo, bad, broken}) fs::remove(f);
}
