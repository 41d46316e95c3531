#include "live/nft_api.h"

#include <nftables/libnftables.h>

namespace nftc::live {
namespace {

class Ctx {
 public:
  Ctx() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
    if (ctx_) {
      nft_ctx_buffer_output(ctx_);
      nft_ctx_buffer_error(ctx_);
    }
  }
  ~Ctx() { if (ctx_) nft_ctx_free(ctx_); }
  Ctx(const Ctx&) = delete;
  Ctx& operator=(const Ctx&) = delete;
  nft_ctx* get() const { return ctx_; }

  NftResult Finish(int rc) const {
    NftResult r;
    r.rc = rc;
    const char* o = nft_ctx_get_output_buffer(ctx_);
    const char* e = nft_ctx_get_error_buffer(ctx_);
    if (o) r.out = o;
    if (e) r.err = e;
    return r;
  }

 private:
  nft_ctx* ctx_;
};

NftResult NoCtx() {
  NftResult r;
  r.err = "libnftables: nft_ctx_new failed";
  return r;
}

}  // namespace

NftResult NftListRuleset(bool json) {
  Ctx c;
  if (!c.get()) return NoCtx();
  nft_ctx_output_set_flags(c.get(), json ? (NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE) : 0u);
  return c.Finish(nft_run_cmd_from_buffer(c.get(), "list ruleset"));
}

NftResult NftRunFile(const std::string& path) {
  Ctx c;
  if (!c.get()) return NoCtx();
  return c.Finish(nft_run_cmd_from_filename(c.get(), path.c_str()));
}

}  // namespace nftc::live
