#pragma once
// One registry per enum: the names the JS API, the URL and the messages use.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace bplab {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<std::string_view, E>, N>;

template <class E, std::size_t N>
std::optional<E> from_name(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [n, e] : table)
        if (n == name) return e;
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view to_name(const NameTable<E, N>& table, E value) {
    for (const auto& [n, e] : table)
        if (e == value) return n;
    return "?";
}

// "'a', 'b' or 'c'", for error messages.
template <class E, std::size_t N>
std::string allowed_names(const NameTable<E, N>& table) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) out += (i + 1 == N) ? " or " : ", ";
        out += "'" + std::string(table[i].first) + "'";
    }
    return out;
}

}  // namespace bplab
