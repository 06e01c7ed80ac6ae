#include "bplab/value.hpp"

#include "bplab/config.hpp"

namespace bplab {

// Out of line, so that building and dropping values is a call rather than inlined code.
Value::Value() = default;
Value::Value(double x) : type(Type::number), number(x) {}
Value::Value(bool b) : type(Type::boolean), flag(b) {}
Value::Value(std::string_view s) : type(Type::string), text(s) {}
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;

Value Value::object() {
    Value v;
    v.type = Type::object;
    return v;
}

Value Value::array() {
    Value v;
    v.type = Type::array;
    return v;
}

const Value& Value::operator[](std::string_view key) const {
    static const Value undefined;
    for (const auto& [k, v] : fields)
        if (k == key) return v;
    return undefined;
}

const Value& Value::operator[](std::size_t i) const {
    static const Value undefined;
    return i < items.size() ? items[i] : undefined;
}

Value& Value::set(std::string_view key, Value v) {
    for (auto& [k, field] : fields)
        if (k == key) {
            field = std::move(v);
            return *this;
        }
    fields.emplace_back(std::string(key), std::move(v));
    return *this;
}

Value& Value::push(Value v) {
    items.push_back(std::move(v));
    length = items.size();
    return *this;
}

std::string Value::shown() const {
    switch (type) {
        case Type::undefined: return "undefined";
        case Type::null: return "null";
        case Type::boolean: return flag ? "true" : "false";
        case Type::number: return describe(number);
        case Type::string: return "'" + (text.size() > 40 ? text.substr(0, 40) + "…" : text) + "'";
        case Type::array: return text.empty() ? "an array of " + std::to_string(length) : text;
        case Type::object: return text.empty() ? "an object" : text;
        case Type::other: break;
    }
    return text;
}

}  // namespace bplab
