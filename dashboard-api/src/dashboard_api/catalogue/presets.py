"""The presets, one per app. Every value here reaches the API, the CLI and docs/apps/<id>.md."""

# ruff: noqa: S106  (token_endpoint_auth_method names a method, not a password)

from __future__ import annotations

from dashboard_api.catalogue.models import ClaimSpec, Preset, Setting, Snippet

_SUB = ClaimSpec(name="sub", shape="string", use="stable account id (the Kratos identity id)")
_USERNAME = ClaimSpec(name="preferred_username", shape="string", use="username")
_EMAIL = ClaimSpec(name="email", shape="string", use="email address")
_EMAIL_VERIFIED = ClaimSpec(
    name="email_verified", shape="boolean", use="whether the address was proven"
)
_NAME = ClaimSpec(name="name", shape="string", use="display name")
_ROLE = ClaimSpec(name="role", shape="role", use='"admin" or "user": the role on this app')
_GROUPS = ClaimSpec(name="groups", shape="string list", use="the person's groups this app may see")

NEXTCLOUD = Preset(
    id="nextcloud",
    name="Nextcloud",
    summary="Files, calendars and contacts, through the user_oidc app.",
    reference="https://github.com/nextcloud/user_oidc",
    example_url="https://cloud.example.org",
    redirect_path="/apps/user_oidc/code",
    scope="openid email profile",
    # user_oidc posts the secret when discovery offers client_secret_post (Hydra does).
    token_endpoint_auth_method="client_secret_post",
    reads="ID token",
    groups_claim="groups",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME, _GROUPS),
    settings=(
        Setting(label="Identifier", value="sso"),
        Setting(label="Client ID", value="$client_id"),
        Setting(label="Client secret", value="$client_secret"),
        Setting(label="Discovery endpoint", value="$discovery_url"),
        Setting(label="Scope", value="$scope"),
        Setting(label="User ID mapping", value="preferred_username"),
        Setting(label="Display name mapping", value="name"),
        Setting(label="Email mapping", value="email"),
        Setting(label="Groups mapping", value="groups"),
        Setting(label="Use unique user ID", value="off"),
        Setting(label="Use group provisioning", value="on"),
    ),
    snippets=(
        Snippet(
            title="Or on the Nextcloud server, with occ",
            language="sh",
            text=(
                "php occ app:install user_oidc\n"
                "php occ user_oidc:provider sso \\\n"
                '  --clientid="$client_id" \\\n'
                '  --clientsecret="$client_secret" \\\n'
                '  --discoveryuri="$discovery_url" \\\n'
                '  --scope="$scope" \\\n'
                "  --unique-uid=0 \\\n"
                "  --mapping-uid=preferred_username \\\n"
                "  --mapping-display-name=name \\\n"
                "  --mapping-email=email \\\n"
                "  --mapping-groups=groups \\\n"
                "  --group-provisioning=1"
            ),
        ),
    ),
    notes=(
        "Without pretty URLs Nextcloud's redirect URI has /index.php before /apps: create the"
        " app with that redirect URI instead.",
        "A group named admin that this app may see makes its members Nextcloud admins.",
    ),
)

ZULIP = Preset(
    id="zulip",
    name="Zulip",
    summary="Team chat, through its OpenID Connect backend (python-social-auth).",
    reference="https://zulip.readthedocs.io/en/stable/production/authentication-methods.html",
    example_url="https://chat.example.org",
    redirect_path="/complete/oidc/",
    scope="openid email profile",
    token_endpoint_auth_method="client_secret_post",
    reads="ID token and userinfo",
    claims=(_SUB, _EMAIL, _EMAIL_VERIFIED, _NAME, _USERNAME),
    snippets=(
        Snippet(
            title="/etc/zulip/settings.py",
            language="python",
            text=(
                "AUTHENTICATION_BACKENDS = (\n"
                '    "zproject.backends.GenericOpenIdConnectBackend",\n'
                '    "zproject.backends.EmailAuthBackend",\n'
                ")\n"
                "SOCIAL_AUTH_OIDC_ENABLED_IDPS = {\n"
                '    "sso": {\n'
                '        "oidc_url": "$issuer",\n'
                '        "display_name": "$name",\n'
                '        "display_icon": None,\n'
                '        "client_id": "$client_id",\n'
                '        "secret": get_secret("social_auth_oidc_secret"),\n'
                '        "auto_signup": True,\n'
                "    }\n"
                "}\n"
                "SOCIAL_AUTH_OIDC_FULL_NAME_VALIDATED = True\n"
                'SOCIAL_AUTH_OIDC_TOKEN_ENDPOINT_AUTH_METHOD = "client_secret_post"'
            ),
        ),
        Snippet(
            title="/etc/zulip/zulip-secrets.conf",
            language="ini",
            text="social_auth_oidc_secret = $client_secret",
        ),
    ),
    notes=(
        "Zulip matches accounts by email address; restart Zulip"
        " (/home/zulip/deployments/current/scripts/restart-server) after the change.",
    ),
)

WORDPRESS = Preset(
    id="wordpress",
    name="WordPress",
    summary="Websites and blogs, through the OpenID Connect Generic Client plugin.",
    reference="https://github.com/oidc-wp/openid-connect-generic",
    example_url="https://www.example.org",
    redirect_path="/wp-admin/admin-ajax.php?action=openid-connect-authorize",
    scope="openid email profile offline_access",
    token_endpoint_auth_method="client_secret_post",
    reads="ID token and userinfo",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME),
    settings=(
        Setting(label="Login Type", value="OpenID Connect button on login form"),
        Setting(label="Client ID", value="$client_id"),
        Setting(label="Client Secret Key", value="$client_secret"),
        Setting(label="OpenID Scope", value="$scope"),
        Setting(label="Login Endpoint URL", value="$authorization_endpoint"),
        Setting(label="Userinfo Endpoint URL", value="$userinfo_endpoint"),
        Setting(label="Token Validation Endpoint URL", value="$token_endpoint"),
        Setting(label="End Session Endpoint URL", value="$end_session_endpoint"),
        Setting(label="Identity Key", value="preferred_username"),
        Setting(label="Nickname Key", value="preferred_username"),
        Setting(label="Email Formatting", value="{email}"),
        Setting(label="Display Name Formatting", value="{name}"),
        Setting(label="Link Existing Users", value="on"),
        Setting(label="Create user if does not exist", value="on"),
    ),
    notes=(
        'Leave "Alternate Redirect URI" off: the redirect URI above is the plugin\'s default.',
        "Each person needs a username in their profile: the plugin keys accounts by it.",
    ),
)

GRAFANA = Preset(
    id="grafana",
    name="Grafana",
    summary="Dashboards and alerts, through [auth.generic_oauth].",
    reference="https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-authentication/generic-oauth/",
    example_url="https://grafana.example.org",
    redirect_path="/login/generic_oauth",
    scope="openid email profile offline_access",
    token_endpoint_auth_method="client_secret_basic",
    reads="ID token and userinfo",
    groups_claim="groups",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME, _ROLE, _GROUPS),
    snippets=(
        Snippet(
            title="grafana.ini",
            language="ini",
            text=(
                "[server]\n"
                "root_url = $app_url\n"
                "\n"
                "[auth.generic_oauth]\n"
                "enabled = true\n"
                "name = $name\n"
                "allow_sign_up = true\n"
                "client_id = $client_id\n"
                "client_secret = $client_secret\n"
                "scopes = $scope\n"
                "auth_url = $authorization_endpoint\n"
                "token_url = $token_endpoint\n"
                "api_url = $userinfo_endpoint\n"
                "auth_style = InHeader\n"
                "use_pkce = true\n"
                "use_refresh_token = true\n"
                "login_attribute_path = preferred_username\n"
                "email_attribute_path = email\n"
                "name_attribute_path = name\n"
                "groups_attribute_path = groups\n"
                "role_attribute_path = $role_claim == 'admin' && 'Admin' || 'Viewer'\n"
                "role_attribute_strict = true\n"
                "signout_redirect_url = $end_session_endpoint"
            ),
        ),
    ),
    notes=(
        "Admins of this app become Grafana Admins, everyone else with a role Viewers; change"
        " role_attribute_path to map 'user' to 'Editor' instead.",
    ),
)

FORGEJO = Preset(
    id="forgejo",
    name="Forgejo / Gitea",
    summary="Git hosting, through an OpenID Connect authentication source.",
    reference="https://forgejo.org/docs/latest/admin/command-line/#admin-auth-add-oauth",
    example_url="https://git.example.org",
    # The last segment but one is the authentication source's name (--name below).
    redirect_path="/user/oauth2/sso/callback",
    scope="openid email profile",
    token_endpoint_auth_method="client_secret_basic",
    reads="ID token and userinfo",
    groups_claim="groups",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME, _GROUPS),
    settings=(
        Setting(label="Authentication Type", value="OAuth2"),
        Setting(label="Authentication Name", value="sso"),
        Setting(label="OAuth2 Provider", value="OpenID Connect"),
        Setting(label="Client ID (Key)", value="$client_id"),
        Setting(label="Client Secret", value="$client_secret"),
        Setting(label="OpenID Connect Auto Discovery URL", value="$discovery_url"),
        Setting(label="Additional Scopes", value="email profile"),
        Setting(label="Claim name providing group names for this source", value="groups"),
        Setting(label="Group Claim value for administrator users", value="admin"),
        Setting(label="Skip local 2FA", value="on"),
    ),
    snippets=(
        Snippet(
            title="Or on the server (use gitea instead of forgejo for Gitea)",
            language="sh",
            text=(
                "forgejo admin auth add-oauth \\\n"
                "  --name sso \\\n"
                "  --provider openidConnect \\\n"
                '  --key "$client_id" \\\n'
                '  --secret "$client_secret" \\\n'
                '  --auto-discover-url "$discovery_url" \\\n'
                '  --scopes "email profile" \\\n'
                "  --group-claim-name groups \\\n"
                "  --admin-group admin \\\n"
                "  --skip-local-2fa"
            ),
        ),
        Snippet(
            title="app.ini",
            language="ini",
            text=(
                "[oauth2_client]\n"
                "ENABLE_AUTO_REGISTRATION = true\n"
                "USERNAME = nickname\n"
                "ACCOUNT_LINKING = login"
            ),
        ),
    ),
    notes=(
        "The authentication source must be named sso: it is part of the redirect URI.",
        "USERNAME = nickname takes preferred_username when there is no nickname claim.",
        "A group named admin that this app may see makes its members Forgejo admins.",
    ),
)

WEKAN = Preset(
    id="wekan",
    name="Wekan",
    summary="Kanban boards, through its OAUTH2_* environment variables.",
    reference="https://github.com/wekan/wekan/wiki/OAuth2",
    example_url="https://boards.example.org",
    redirect_path="/_oauth/oidc",
    scope="openid email profile",
    # Wekan posts client_id and client_secret in the token request's body.
    token_endpoint_auth_method="client_secret_post",
    reads="userinfo",
    groups_claim="groups",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME, _GROUPS),
    snippets=(
        Snippet(
            title="Wekan's environment",
            language="sh",
            text=(
                "ROOT_URL=$app_url\n"
                "OAUTH2_ENABLED=true\n"
                "OAUTH2_LOGIN_STYLE=redirect\n"
                "OAUTH2_CLIENT_ID=$client_id\n"
                "OAUTH2_SECRET=$client_secret\n"
                "OAUTH2_SERVER_URL=$base_url\n"
                "OAUTH2_AUTH_ENDPOINT=/oauth2/auth\n"
                "OAUTH2_TOKEN_ENDPOINT=/oauth2/token\n"
                "OAUTH2_USERINFO_ENDPOINT=/userinfo\n"
                "OAUTH2_REQUEST_PERMISSIONS=$scope\n"
                "OAUTH2_ID_MAP=sub\n"
                "OAUTH2_USERNAME_MAP=preferred_username\n"
                "OAUTH2_FULLNAME_MAP=name\n"
                "OAUTH2_EMAIL_MAP=email\n"
                "PROPAGATE_OIDC_DATA=true"
            ),
        ),
    ),
    notes=(
        "PROPAGATE_OIDC_DATA=true makes Wekan take the groups claim (a list of names) as its"
        " teams on every login.",
    ),
)

SYNAPSE = Preset(
    id="synapse",
    name="Matrix Synapse",
    summary="Matrix chat server, through oidc_providers in homeserver.yaml.",
    reference="https://element-hq.github.io/synapse/latest/openid.html",
    example_url="https://matrix.example.org",
    redirect_path="/_synapse/client/oidc/callback",
    scope="openid email profile",
    token_endpoint_auth_method="client_secret_basic",
    reads="ID token",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME),
    snippets=(
        Snippet(
            title="homeserver.yaml",
            language="yaml",
            text=(
                "public_baseurl: $app_url/\n"
                "oidc_providers:\n"
                "  - idp_id: sso\n"
                '    idp_name: "$name"\n'
                '    issuer: "$issuer"\n'
                '    client_id: "$client_id"\n'
                '    client_secret: "$client_secret"\n'
                "    client_auth_method: client_secret_basic\n"
                "    scopes: $scope_list\n"
                "    discover: true\n"
                "    user_profile_method: auto\n"
                "    allow_existing_users: false\n"
                "    user_mapping_provider:\n"
                "      config:\n"
                "        subject_claim: sub\n"
                '        localpart_template: "{{ user.preferred_username }}"\n'
                '        display_name_template: "{{ user.name }}"\n'
                '        email_template: "{{ user.email }}"'
            ),
        ),
    ),
    notes=(
        "A person needs a username in their profile: it becomes the Matrix localpart"
        " (@username:server), which Synapse never changes afterwards.",
    ),
)

GENERIC = Preset(
    id="generic",
    name="Any OpenID Connect app",
    summary="Any app that speaks OpenID Connect: every claim, standard endpoints.",
    reference="https://openid.net/specs/openid-connect-core-1_0.html",
    example_url="https://app.example.org",
    redirect_path=None,
    scope="openid email profile offline_access",
    token_endpoint_auth_method="client_secret_basic",
    reads="ID token and userinfo",
    groups_claim="groups",
    claims=(_SUB, _USERNAME, _EMAIL, _EMAIL_VERIFIED, _NAME, _ROLE, _GROUPS),
    settings=(
        Setting(label="Issuer", value="$issuer"),
        Setting(label="Discovery URL", value="$discovery_url"),
        Setting(label="Authorization endpoint", value="$authorization_endpoint"),
        Setting(label="Token endpoint", value="$token_endpoint"),
        Setting(label="Userinfo endpoint", value="$userinfo_endpoint"),
        Setting(label="JWKS URI", value="$jwks_uri"),
        Setting(label="End session endpoint", value="$end_session_endpoint"),
        Setting(label="Client ID", value="$client_id"),
        Setting(label="Client secret", value="$client_secret"),
        Setting(label="Client authentication", value="$token_endpoint_auth_method"),
        Setting(label="Redirect URI", value="$redirect_uri"),
        Setting(label="Scopes", value="$scope"),
        Setting(label="Username claim", value="preferred_username"),
        Setting(label="Role claim", value="$role_claim"),
        Setting(label="Groups claim", value="$groups_claim"),
    ),
    notes=("Give the app's redirect URI when creating it (--redirect-uri, redirect_uri).",),
)

PRESETS: dict[str, Preset] = {
    p.id: p for p in (NEXTCLOUD, ZULIP, WORDPRESS, GRAFANA, FORGEJO, WEKAN, SYNAPSE, GENERIC)
}
