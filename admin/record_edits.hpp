// The record change commands: record add, record set, record delete.
#pragma once

#include "admin/edit.hpp"

namespace apex::admin {

extern const ChangeCommand kRecordAddCommand;
extern const ChangeCommand kRecordSetCommand;
extern const ChangeCommand kRecordDeleteCommand;

}  // namespace apex::admin
