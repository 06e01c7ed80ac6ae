#pragma once
// JS values ↔ engine values, conversions only: numbers, text and typed arrays out; checked
// arguments in (types and lengths before anything is copied); configs as the engine's own
// Value tree (config_io.hpp reads and writes them by its tables); any C++ exception as
// { error: { code, field, message } }, since one that crossed into JS would leak wasm memory.
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <new>
#include <string>
#include <vector>

#include "bplab/config_io.hpp"
#include "bplab/errors.hpp"
#include "bplab/names.hpp"

namespace bplab::wasm {

using emscripten::val;

// ---- values out ------------------------------------------------------------------------------------

// Sets out.key = value for each pair in turn: numbers, flags, text and values made before.
inline void put(val&) {}
template <class V, class... Rest>
void put(val& out, const char* key, const V& value, const Rest&... rest) {
    if constexpr (std::is_same_v<V, val> || std::is_same_v<V, bool>) out.set(key, value);
    else if constexpr (std::is_arithmetic_v<V>) out.set(key, static_cast<double>(value));
    else out.set(key, std::string(std::string_view(value)));
    put(out, rest...);
}

// { key: value, … }
template <class... Fields>
val object(const Fields&... fields) {
    val out = val::object();
    put(out, fields...);
    return out;
}

inline val float64_copy(const double* data, std::size_t n) {
    return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}
inline val float64_copy(const std::vector<double>& v) { return float64_copy(v.data(), v.size()); }

template <class T>
val number_array(const std::vector<T>& v) { return val::array(std::vector<double>(v.begin(), v.end())); }

template <class E, std::size_t N>
val name_list(const NameTable<E, N>& table) {
    val out = val::array();
    for (const auto& entry : table) out.call<void>("push", val(std::string(entry.first)));
    return out;
}

inline val error_value(const std::string& code, const std::string& field, const std::string& message) {
    return object("error", object("code", code, "field", field, "message", message));
}

inline val problems_value(const std::vector<ConfigProblem>& problems) {
    std::string message = "invalid trainer config: ";
    val list = val::array();
    for (const ConfigProblem& p : problems) {
        message += (list["length"].as<unsigned>() > 0 ? "; " : "") + p.message();
        list.call<void>("push",
                        object("field", p.field, "value", p.value, "allowed", p.allowed, "message", p.message()));
    }
    val result = error_value("invalid_config", problems.front().field, message);
    result["error"].set("problems", list);
    return result;
}

// A refusal that carries its whole error value: every problem of a config.
struct Refusal {
    val error;
};

// Runs body; any exception becomes an error value instead of crossing into JS.
template <class Body>
val guarded(Body body) {
    try {
        return body();
    } catch (const Refusal& r) {
        return r.error;
    } catch (const LabError& e) {
        return error_value(e.code(), e.field(), e.what());
    } catch (const std::bad_alloc&) {
        return error_value("out_of_memory", "", "the engine ran out of memory");
    } catch (const std::exception& e) {
        return error_value("internal", "", std::string("engine error: ") + e.what());
    } catch (...) {
        return error_value("internal", "", "unknown engine error");
    }
}

inline val ok() { return object("ok", true); }

// Numbers that overflowed: the call is refused as `diverged`, naming what to make smaller.
inline val overflow_error(const std::string& field, const std::string& what, const std::string& allowed) {
    return error_value("diverged", field,
                       field + ": " + what +
                           " too large for a number (it overflows to infinity or NaN); allowed: " + allowed);
}

// ---- values in -------------------------------------------------------------------------------------

// A JS value as a message shows it: 'text', 3, NaN, null, an array of 4, a Float32Array of 6.
inline std::string shown(const val& v) {
    const std::string type = v.typeOf().as<std::string>();
    const auto with_article = [](const std::string& noun) {
        return (std::string("AEIOUaeiou").find(noun[0]) != std::string::npos ? "an " : "a ") + noun;
    };
    if (type == "string") {
        const std::string s = v.as<std::string>();
        return "'" + (s.size() > 40 ? s.substr(0, 40) + "…" : s) + "'";
    }
    if (type == "number") return describe(v.as<double>());
    if (type == "boolean") return v.as<bool>() ? "true" : "false";
    if (v.isUndefined() || v.isNull()) return v.isNull() ? "null" : "undefined";
    if (v.isArray()) return "an array of " + std::to_string(v["length"].as<unsigned>());
    if (type != "object") return with_article(type);
    // "[object Float32Array]" names the kind of object without calling anything of its own.
    const std::string tag = val::global("Object")["prototype"]["toString"].call<std::string>("call", v);
    const std::string kind = tag.substr(8, tag.size() - 9);
    if (kind == "Object") return "an object";
    if (val::global("ArrayBuffer").call<bool>("isView", v))
        return with_article(kind) + " of " + std::to_string(v["length"].as<unsigned>());
    return with_article(kind);
}

inline double finite_arg(const val& v, const std::string& field) {
    if (!v.isNumber() || !std::isfinite(v.as<double>()))
        throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: a finite number");
    return v.as<double>();
}

inline std::size_t whole_arg(const val& v, const std::string& field, std::size_t lo, std::size_t hi) {
    // Called on every trace, weights and heatmaps call: the message is only built on a refusal.
    const auto allowed = [&] {
        return "; allowed: a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    };
    if (!v.isNumber()) throw LabError("invalid_argument", field, field + " is " + shown(v) + allowed());
    const double x = v.as<double>();
    if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi) && x == std::floor(x)))
        throw LabError("out_of_range", field, field + " is " + describe(x) + allowed());
    return static_cast<std::size_t>(x);
}

template <class E, std::size_t N>
E name_arg(const val& v, const NameTable<E, N>& table, const std::string& field) {
    if (v.isString())
        if (auto e = from_name(table, v.as<std::string>())) return *e;
    throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: " + allowed_names(table));
}

// A Float64Array's numbers. Its length is checked before anything is copied, so that a
// wrong array cannot grow the heap: `want`, unless why is empty.
inline std::vector<double> float64_arg(const val& v, const std::string& field, std::size_t want = 0,
                                       const std::string& why = "") {
    if (!v.instanceof(val::global("Float64Array")))
        throw LabError("invalid_argument", field,
                       field + " is " + shown(v) + "; allowed: a Float64Array or an array of numbers");
    const auto n = v["length"].as<std::size_t>();
    if (!why.empty() && n != want)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(n) + " numbers; allowed: " + std::to_string(want) + " (" +
                           why + ")");
    return emscripten::convertJSArrayToNumberVector<double>(v);
}

// An array of the lab-level calls: 1 to max_values finite numbers.
inline std::vector<double> values_arg(const val& v, const std::string& field) {
    std::vector<double> x = float64_arg(v, field);
    if (x.empty() || x.size() > Limits::max_values)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(x.size()) + " numbers; allowed: 1 to " +
                           std::to_string(Limits::max_values));
    require_finite(x.data(), x.size(), field);
    return x;
}

// ---- configs: the engine reads and writes them (config_io.hpp) ---------------------------------------

// A JS value as the engine reads it: numbers, strings, flags, null, arrays and objects (their
// own keys in order); anything else only as a message shows it. No config holds a list longer
// than max_items, or deeper than max_depth: what lies beyond is only shown.
inline Value to_value(const val& v, unsigned depth = 0) {
    constexpr unsigned max_items = 64, max_depth = 4;
    const std::string type = v.typeOf().as<std::string>();
    if (type == "number") return Value(v.as<double>());
    if (type == "string") return Value(std::string_view(v.as<std::string>()));
    if (type == "boolean") return Value(v.as<bool>());
    Value out;
    if (v.isUndefined()) return out;
    out.type = Value::Type::null;
    if (v.isNull()) return out;
    out.type = Value::Type::other;
    out.text = shown(v);
    const bool plain = type == "object" && !val::global("ArrayBuffer").call<bool>("isView", v);
    if (!plain || depth >= max_depth) return out;
    if (v.isArray()) {
        out.type = Value::Type::array;
        out.length = v["length"].as<std::size_t>();
        for (unsigned i = 0; i < std::min<std::size_t>(out.length, max_items); ++i)
            out.items.push_back(to_value(v[i], depth + 1));
        return out;
    }
    out.type = Value::Type::object;
    const val keys = val::global("Object").call<val>("keys", v);
    for (unsigned i = 0; i < keys["length"].as<unsigned>(); ++i) {
        const std::string key = keys[i].as<std::string>();
        out.fields.emplace_back(key, to_value(v[key], depth + 1));
    }
    return out;
}

inline val to_js(const Value& v) {
    switch (v.type) {
        case Value::Type::number: return val(v.number);
        case Value::Type::string: return val(v.text);
        case Value::Type::boolean: return val(v.flag);
        case Value::Type::null: return val::null();
        case Value::Type::array: {
            val out = val::array();
            for (const Value& item : v.items) out.call<void>("push", to_js(item));
            return out;
        }
        case Value::Type::object: {
            val out = val::object();
            for (const auto& [key, field] : v.fields) out.set(key, to_js(field));
            return out;
        }
        default: return val::undefined();
    }
}

// The config a JS value describes; its problems are refused all at once.
inline TrainerConfig config_arg(const val& v) {
    std::vector<ConfigProblem> problems;
    TrainerConfig c = read_config(to_value(v), problems);
    if (!problems.empty()) throw Refusal{problems_value(problems)};
    return c;
}

}  // namespace bplab::wasm
