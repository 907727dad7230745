package org.stainbench.accounts;

/**
 * Who is calling the JSON API with a machine token: the token's owner, the token's name and id,
 * and its scope. Obtain it with {@code @AuthenticationPrincipal ApiPrincipal caller}.
 */
public record ApiPrincipal(String username, long tokenId, String tokenName, TokenScope scope) {}
