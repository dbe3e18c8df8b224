// The body of Kratos's settings web_hook (kratos.yml): whose profile was saved. dashboard-api
// reads the identity itself from Kratos; nothing else is sent.
function(ctx) { identity_id: ctx.identity.id }
