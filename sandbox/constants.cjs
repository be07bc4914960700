'use strict';
// Enumerations of the Glassix API (spec §6.15). All travel as strings.

const TICKET_STATES = ['Open', 'Closed', 'Pending', 'Snoozed'];
const SETTABLE_STATES = ['Open', 'Closed', 'Pending'];
const PROTOCOL_TYPES = [
  'Undefined', 'SMS', 'WhatsApp', 'Mail', 'Web', 'FBmessenger', 'WebViaSMS', 'TelegramBot',
  'FacebookFeed', 'InstagramFeed', 'PhoneCall', 'Viber', 'AppleBusinessChat',
  'GoogleBusinessMessages', 'GoogleBusinessReviews',
];
// C# serialises ProtocolType.FacebookMessenger by its member name.
const PROTOCOL_ALIASES = { FacebookMessenger: 'FBmessenger' };
const NON_TICKET_PROTOCOLS = ['WhatsApp', 'SMS', 'AppleBusinessChat'];
const SUB_PROTOCOL_TYPES = ['Undefined', 'MailTo', 'MailCc', 'MailBcc'];
const PARTICIPANT_TYPES = ['Client', 'User', 'System'];
const USER_TYPES = ['AGENT', 'BOT', 'API'];
const USER_STATUSES = ['Online', 'Offline', 'Break', 'Break2', 'Break3', 'Break4', 'Break5'];
const PRIMARY_ROLES = ['SystemUser', 'DepartmentAdmin', 'DataControler', 'MasterUser', 'ReadOnly'];
const ADMIN_ROLES = ['MasterUser', 'DepartmentAdmin'];
const ROLES = [
  'MasterUser', 'DepartmentAdmin', 'SystemUser', 'ReadOnly', 'DataControler', 'EmailSession', 'webChat',
  'FaceBookMessenger', 'FaceBookPosts', 'SMSchat', 'WhatsApp', 'InstagramFeed', 'PhoneCall', 'InstagramDM',
  'Viber', 'AppleBusinessChat',
];
const ADD_USER_ROLES = ['SystemUser', 'ReadOnly'];
const IDENTIFIER_TYPES = [
  'Undefined', 'PhoneNumber', 'MailAddress', 'FacebookId', 'InstagramId', 'Web', 'InstagramIGSID',
  'ClientViberID', 'ClientAppleBusinessChatID', 'ClientTwitterId', 'ClientGoogleBusinessMessagesId',
  'ClientGoogleBusinessReviewerId', 'TikTokId',
];
const ADDABLE_IDENTIFIER_TYPES = ['PhoneNumber', 'MailAddress', 'FacebookId', 'InstagramId'];
const SORT_ORDERS = { asc: 'ASC', desc: 'DESC', ascending: 'ASC', descending: 'DESC' };
const GENDERS = ['Undefined', 'Male', 'Female', 'notApplicable'];

/** Which contact identifier type a participant's protocol implies. */
function identifierTypeFor(protocolType) {
  switch (protocolType) {
    case 'SMS': case 'WhatsApp': case 'WebViaSMS': case 'PhoneCall': return 'PhoneNumber';
    case 'Viber': return 'ClientViberID';
    case 'Mail': return 'MailAddress';
    case 'FBmessenger': case 'FacebookFeed': return 'FacebookId';
    case 'InstagramFeed': return 'InstagramId';
    case 'AppleBusinessChat': return 'ClientAppleBusinessChatID';
    case 'GoogleBusinessMessages': return 'ClientGoogleBusinessMessagesId';
    case 'GoogleBusinessReviews': return 'ClientGoogleBusinessReviewerId';
    case 'Web': return 'Web';
    default: return 'Undefined';
  }
}

module.exports = {
  TICKET_STATES, SETTABLE_STATES, PROTOCOL_TYPES, PROTOCOL_ALIASES, NON_TICKET_PROTOCOLS, SUB_PROTOCOL_TYPES,
  PARTICIPANT_TYPES, USER_TYPES, USER_STATUSES, PRIMARY_ROLES, ADMIN_ROLES, ROLES, ADD_USER_ROLES,
  IDENTIFIER_TYPES, ADDABLE_IDENTIFIER_TYPES, SORT_ORDERS, GENDERS, identifierTypeFor,
};
