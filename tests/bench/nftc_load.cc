// Loader stand-in for `nft-coexist lint FILE` while lint is a stub: loads one input the way
// every command does (LoadInput: JSON loader + ClassifyBackends) and prints what it holds,
// so run.sh can time the part of lint that issue 7's targets are about first.
//
//   nftc_load FILE              counts and heap in use
//   nftc_load --breakdown FILE  also the model's bytes by kind (objects + owned heap strings
//                               and vectors, by capacity; malloc overhead not included)
#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <exception>

#include "input.h"
#include "nftc/error.h"

namespace {

using namespace nftc;

size_t Heap(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
size_t Heap(const IStr&) { return 0; }  // interned: counted once, in the pool line
size_t Heap(const ValueList& v) { return v.capacity() > 1 ? v.capacity() * sizeof(Value) : 0; }
size_t Heap(const Expr& e) {
  size_t n = Heap(e.value.str) + Heap(e.verdict.chain) + Heap(e.name) + Heap(e.json) + e.kids.capacity() * sizeof(Expr);
  for (const auto& k : e.kids) n += Heap(k);
  return n;
}

void Breakdown(const Ruleset& rs) {
  size_t rule = 0, stmt = 0, expr = 0, chain = 0, elem = 0, value = 0, note = 0, nstmt = 0, nexpr = 0;
  for (const auto& t : rs.tables) {
    chain += t.chains.capacity() * sizeof(Chain);
    for (const auto& c : t.chains) {
      chain += Heap(c.name) + Heap(c.src.file) + Heap(c.comment);
      rule += c.rules.capacity() * sizeof(Rule);
      for (const auto& r : c.rules) {
        rule += Heap(r.comment) + Heap(r.src.file) + Heap(r.ipt_line);
        stmt += r.stmts.capacity() * sizeof(Stmt);
        nstmt += r.stmts.size();
        for (const auto& s : r.stmts) {
          stmt += Heap(s.text) + Heap(s.json) + Heap(s.verdict.chain);
          expr += s.e.capacity() * sizeof(Expr);
          nexpr += s.e.size();
          for (const auto& e : s.e) expr += Heap(e);
        }
      }
    }
    for (const auto& s : t.sets) {
      elem += s.elems.capacity() * sizeof(SetElem);
      for (const auto& e : s.elems) {
        elem += Heap(e.verdict.chain) + Heap(e.comment);
        value += Heap(e.lo) + Heap(e.hi) + e.data.capacity() * sizeof(Value);
        for (const auto& v : e.lo) value += Heap(v.str);
        for (const auto& v : e.hi) value += Heap(v.str);
      }
    }
  }
  for (const auto& n : rs.notes) note += sizeof(LoadNote) + Heap(n.message) + Heap(n.chain) + Heap(n.where.file);
  const double M = 1048576.0;
  std::printf("sizeof: Rule %zu Stmt %zu Expr %zu Value %zu SetElem %zu Chain %zu IStr %zu\n", sizeof(Rule),
              sizeof(Stmt), sizeof(Expr), sizeof(Value), sizeof(SetElem), sizeof(Chain), sizeof(IStr));
  std::printf("MB: rules %.1f, stmts %.1f (%zu), exprs %.1f (%zu top-level), chains %.1f, set elems %.1f, "
              "elem values (heap) %.1f, notes %.1f, string pool %.1f (%zu strings)\n",
              rule / M, stmt / M, nstmt, expr / M, nexpr, chain / M, elem / M, value / M, note / M,
              IStr::PoolBytes() / M, IStr::PoolCount());
}

}  // namespace

int main(int argc, char** argv) {
  bool breakdown = argc == 3 && std::strcmp(argv[1], "--breakdown") == 0;
  if (argc != 2 && !breakdown) {
    std::fprintf(stderr, "usage: nftc_load [--breakdown] FILE\n");
    return 2;
  }
  try {
    nftc::Ruleset rs = nftc::LoadInput(nftc::InputSpec{argv[argc - 1], ""});
    size_t sets = 0, elems = 0;
    for (const auto& t : rs.tables) {
      sets += t.sets.size();
      for (const auto& s : t.sets) elems += s.elems.size();
    }
    std::printf("tables %zu chains %zu rules %zu sets %zu elements %zu notes %zu heap-in-use %.1f MB\n",
                rs.tables.size(), rs.ChainCount(), rs.RuleCount(), sets, elems, rs.notes.size(),
                double(mallinfo2().uordblks + mallinfo2().hblkhd) / 1048576.0);
    if (breakdown) Breakdown(rs);
  } catch (const nftc::InputError& e) {
    std::fprintf(stderr, "nftc_load: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nftc_load: %s\n", e.what());
    return 2;
  }
  return 0;
}
