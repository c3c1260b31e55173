#pragma once

#include "channelregistry.h"
#include "wsclient.h"

#include <QJsonObject>

namespace kucun {

// The Clients & channels panel's rows as JSON: what GET /api/channels and /api/clients answer
// and what /api/stream carries to an attached window, written and read in this one place.
// Reading takes what a remote hub sent: a missing or mistyped member reads as empty or 0.
QJsonObject channelInfoJson(const ChannelRegistry::ChannelInfo &channel);
ChannelRegistry::ChannelInfo channelInfoFromJson(const QJsonObject &row);
QJsonObject clientInfoJson(const WsClientInfo &client);
WsClientInfo clientInfoFromJson(const QJsonObject &row);

}  // namespace kucun
