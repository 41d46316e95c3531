// Datatypes and symbolic constants: "tcp" -> 6, "established" -> 2, "10.0.0.1" -> integer.
// Shared by every loader (nft JSON, iptables-save) so both resolve constants the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nftc/model.h"

namespace nftc {

/// Parses an nft datatype name ("ipv4_addr", "inet_service", "ifname", "verdict", ...).
DataType ParseDataTypeName(std::string_view name);

/// Bit width of a datatype's values (32 for ipv4_addr, 16 for inet_service, 0 for strings
/// and unknown types).
uint8_t DataTypeBits(DataType t);

/// True for types whose values are bitmasks matched as "(x & mask) != 0" when given as a
/// flag list (ct state, ct status, tcp flags).
bool IsBitmaskType(DataType t);

/// Resolves one symbolic constant of a datatype ("tcp" for kInetProto, "established" for
/// kCtState, "local" for kFibAddrType, "echo-request" for kIcmpType, "ssh" for kInetService).
std::optional<u128> LookupSymbol(DataType t, std::string_view sym);

/// Parses a decimal or 0x-hexadecimal number; std::nullopt on anything else or overflow.
std::optional<u128> ParseNumber(std::string_view s);

/// Parses "192.0.2.1" or "2001:db8::1". Returns the address as an integer and sets *v6.
std::optional<u128> ParseIpAddress(std::string_view s, bool* v6);

/// Formats an address integer back to text.
std::string FormatIp(u128 addr, bool v6);

/// Converts a JSON scalar (string or number text) into a Value of the given type. Strings that
/// are neither symbols of the type nor numbers nor addresses stay strings. `ok` is false when
/// a string could not be resolved for a numeric type (the caller keeps it as a symbol).
Value MakeValue(DataType t, std::string_view text, bool* ok);
Value MakeValue(DataType t, u128 number);

/// Renders a value for output, using the datatype's symbol names where they exist
/// ("tcp", "established,related", addresses, "\"eth0\"").
std::string FormatValue(const Value& v, DataType t);

}  // namespace nftc
