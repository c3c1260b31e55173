#pragma once

#include "engine/hublink.h"

#include <QCoreApplication>

namespace kucun {

// The controls that change the hub (SPEC §13: invalidate, delete key, set TTL, publish,
// disconnect, settings, demo) are enabled only while the hub may be changed, and say why not
// when it may not. The hub refuses such calls from a viewer all the same; this spares the user
// the refusal.
class ChangeGuard
{
    Q_DECLARE_TR_FUNCTIONS(kucun::ChangeGuard)

public:
    static QString readOnlyTip(const HubLink &hub);
    // Why a window started with --read-only is.
    static QString readOnlyFlagReason();
    // `control` (a widget or an action) enabled when `wanted` and the hub may be changed; its
    // tooltip `tip`, or why it is read-only.
    template <typename Control>
    static void enable(Control *control, bool wanted, const HubLink &hub, const QString &tip = {})
    {
        control->setEnabled(wanted && !hub.isReadOnly());
        control->setToolTip(hub.isReadOnly() ? readOnlyTip(hub) : tip);
    }
};

}  // namespace kucun
