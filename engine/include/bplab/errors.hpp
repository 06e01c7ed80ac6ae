#pragma once
#include <stdexcept>
#include <string>
#include <utility>

namespace bplab {

// Raised for input the engine refuses. code is one of: invalid_config,
// invalid_argument, out_of_range, no_data, not_a_plane, bad_snapshot.
// field names what was wrong, as the JS API spells it ("optimizer.lr").
class LabError : public std::runtime_error {
public:
    LabError(std::string code, std::string field, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)), field_(std::move(field)) {}
    const std::string& code() const { return code_; }
    const std::string& field() const { return field_; }

private:
    std::string code_;
    std::string field_;
};

}  // namespace bplab
