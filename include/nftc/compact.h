// Compact containers of the model (issue 7: memory): ValueList keeps one Value inline,
// Boxed<T> keeps a rarely set optional member out of line. Both read like the standard
// container they replace (std::vector<Value>, std::optional<T>).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include "nftc/value.h"

namespace nftc {

/// The key components of a set element: used like std::vector<Value>, but one Value is
/// stored inline (issue 7: a heap block per element key doubled the size of big sets).
class ValueList {
 public:
  using value_type = Value;
  using size_type = size_t;
  using iterator = Value*;
  using const_iterator = const Value*;

  ValueList() noexcept {}
  ValueList(std::initializer_list<Value> l) { assign(l.begin(), l.end()); }
  ValueList(const std::vector<Value>& v) { assign(v.data(), v.data() + v.size()); }
  ValueList(const ValueList& o) { assign(o.begin(), o.end()); }
  ValueList(ValueList&& o) noexcept { Steal(o); }
  ValueList& operator=(const ValueList& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  ValueList& operator=(ValueList&& o) noexcept {
    if (this != &o) {
      Free();
      Steal(o);
    }
    return *this;
  }
  ValueList& operator=(std::initializer_list<Value> l) { assign(l.begin(), l.end()); return *this; }
  ValueList& operator=(const std::vector<Value>& v) { assign(v.data(), v.data() + v.size()); return *this; }
  ~ValueList() { Free(); }

  operator std::vector<Value>() const { return std::vector<Value>(begin(), end()); }

  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  size_t capacity() const noexcept { return cap_; }
  Value* data() noexcept { return cap_ > 1 ? heap_ : &one_; }
  const Value* data() const noexcept { return cap_ > 1 ? heap_ : &one_; }
  Value* begin() noexcept { return data(); }
  Value* end() noexcept { return data() + size_; }
  const Value* begin() const noexcept { return data(); }
  const Value* end() const noexcept { return data() + size_; }
  Value& operator[](size_t i) noexcept { return data()[i]; }
  const Value& operator[](size_t i) const noexcept { return data()[i]; }
  Value& at(size_t i) { return i < size_ ? data()[i] : Throw(); }
  const Value& at(size_t i) const { return i < size_ ? data()[i] : Throw(); }
  Value& front() noexcept { return data()[0]; }
  const Value& front() const noexcept { return data()[0]; }
  Value& back() noexcept { return data()[size_ - 1]; }
  const Value& back() const noexcept { return data()[size_ - 1]; }

  void reserve(size_t n) {
    if (n <= cap_) return;
    Value* p = new Value[n];
    for (uint32_t i = 0; i < size_; ++i) p[i] = data()[i];
    Free();
    heap_ = p;
    cap_ = static_cast<uint32_t>(n);
  }
  void push_back(const Value& v) {
    if (size_ == cap_) {
      Value copy = v;  // v may live in this list
      reserve(cap_ * 2);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  template <class... A> Value& emplace_back(A&&... a) {
    push_back(Value(std::forward<A>(a)...));
    return back();
  }
  void pop_back() noexcept { --size_; }
  void clear() noexcept {
    for (uint32_t i = 0; i < size_; ++i) data()[i] = Value();
    size_ = 0;
  }
  void resize(size_t n) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data()[i] = Value();
    size_ = static_cast<uint32_t>(n);
  }
  void shrink_to_fit() noexcept {}
  template <class It> void assign(It first, It last) {
    clear();
    reserve(static_cast<size_t>(std::distance(first, last)));
    for (; first != last; ++first) data()[size_++] = *first;
  }

  friend bool operator==(const ValueList& a, const ValueList& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (uint32_t i = 0; i < a.size_; ++i)
      if (!(a[i] == b[i])) return false;
    return true;
  }
  friend bool operator==(const ValueList& a, const std::vector<Value>& b) noexcept {
    return a.size_ == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator<(const ValueList& a, const ValueList& b) noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  [[noreturn]] static Value& Throw();
  void Free() noexcept {
    if (cap_ > 1) {
      delete[] heap_;
      new (&one_) Value();
      cap_ = 1;
    }
  }
  void Steal(ValueList& o) noexcept {
    if (o.cap_ > 1) {
      heap_ = o.heap_;
      cap_ = o.cap_;
      size_ = o.size_;
      new (&o.one_) Value();
      o.cap_ = 1;
      o.size_ = 0;
    } else {
      one_ = o.one_;
      cap_ = 1;
      size_ = o.size_;
      o.size_ = 0;
    }
  }
  union {
    Value one_{};
    Value* heap_;
  };
  uint32_t size_ = 0;
  uint32_t cap_ = 1;  ///< 1: the inline Value; more: heap_
};

/// A rarely set optional member kept out of line (8 bytes instead of sizeof(T)); used like
/// std::optional<T>: if (x), x->, *x, x = T{...}, x = std::nullopt, x.emplace(), x.reset().
template <class T>
class Boxed {
 public:
  Boxed() noexcept = default;
  Boxed(std::nullopt_t) noexcept {}
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
  Boxed(const std::optional<T>& v) : p_(v ? std::make_unique<T>(*v) : nullptr) {}
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) noexcept { p_.reset(); return *this; }
  Boxed& operator=(const T& v) { p_ = std::make_unique<T>(v); return *this; }
  Boxed& operator=(T&& v) { p_ = std::make_unique<T>(std::move(v)); return *this; }
  Boxed& operator=(const std::optional<T>& v) { p_ = v ? std::make_unique<T>(*v) : nullptr; return *this; }

  template <class... A> T& emplace(A&&... a) {
    p_ = std::make_unique<T>(std::forward<A>(a)...);
    return *p_;
  }
  void reset() noexcept { p_.reset(); }
  bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T* operator->() noexcept { return p_.get(); }
  const T* operator->() const noexcept { return p_.get(); }
  T& operator*() noexcept { return *p_; }
  const T& operator*() const noexcept { return *p_; }
  T& value() { return p_ ? *p_ : throw std::bad_optional_access(); }
  const T& value() const { return p_ ? *p_ : throw std::bad_optional_access(); }
  operator std::optional<T>() const { return p_ ? std::optional<T>(*p_) : std::nullopt; }
  friend bool operator==(const Boxed& a, std::nullopt_t) noexcept { return !a.p_; }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace nftc
