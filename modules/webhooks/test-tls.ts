// A self-signed certificate for hooks.pinned.invalid (valid until 2126), so
// tests can check that a pinned connection still verifies TLS for the host
// name. Test data only: nothing trusts it outside the tests that pass it as a CA.
export const TEST_TLS_HOST = "hooks.pinned.invalid";

export const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBtzCCAVygAwIBAgIUZG0ZWZ5ajdcorZaj8UojqiGX4sUwCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUaG9va3MucGlubmVkLmludmFsaWQwIBcNMjYxMjA3MDQwNTI4
WhgPMjEyNjExMTMwNDA1MjhaMB8xHTAbBgNVBAMMFGhvb2tzLnBpbm5lZC5pbnZh
bGlkMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbG6yNpYTFcvFg8Ga2GpthwgO
dGeLdqbVZub0elpsIL656woCZMnptjzEqvD1EDp5y1XnTHNT+krx4MBAWTQn8aN0
MHIwHQYDVR0OBBYEFERAmPmdFbABVsqUP+7Ew7Y6txCQMB8GA1UdIwQYMBaAFERA
mPmdFbABVsqUP+7Ew7Y6txCQMA8GA1UdEwEB/wQFMAMBAf8wHwYDVR0RBBgwFoIU
aG9va3MucGlubmVkLmludmFsaWQwCgYIKoZIzj0EAwIDSQAwRgIhAOUz8SPd/Bto
F2eyzL1VORURFOtHEmGdsh/oXOLXfYsEAiEA2/ed16t90B0wkahrhf+2ASU5xOQ0
Bn/JB2oHf6Rwbng=
-----END CERTIFICATE-----`;

export const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgULwBHa8LmJTp+6yw
iEiOFXRAnjSVaORB1STr9wCeuxehRANCAARsbrI2lhMVy8WDwZrYam2HCA50Z4t2
ptVm5vR6WmwgvrnrCgJkyem2PMSq8PUQOnnLVedMc1P6SvHgwEBZNCfx
-----END PRIVATE KEY-----`;
