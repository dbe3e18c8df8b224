# Addresses whose X-Forwarded-Proto the proxy believes: a TLS-terminating load balancer in front
# of it, one `<address or CIDR> 1;` per line. Empty: nginx's own scheme ($scheme) always wins.
# 10.0.0.0/8 1;
