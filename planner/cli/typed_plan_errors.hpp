#pragma once
// Errors about plan options name what the user typed: the flag (--global-batch-tokens) when a flag
// gave the value, the --set text (--set plan.tp=3) when --set did, rather than the internal key
// (plan.global_batch_tokens) of the mapping both are checked in.
#include <map>
#include <string>
#include <vector>

#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

// The error `error` about the plan mapping checked as FieldReader(node, source, "plan"), naming the
// origin of its field: the --set override that set the key last, else the key's flag when
// `flag_values` (option key -> text given) holds it; other option keys given by a flag are named by
// their flag in the message too. An error about anything else is returned unchanged.
InputError name_typed_plan_option(const InputError& error, const std::string& source, const std::map<std::string, std::string>& flag_values,
                                  const std::vector<Override>& overrides);

}  // namespace trainplan
