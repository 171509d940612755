"""Development and test helpers only: never imported by production code or settings.

`pki` makes a test certificate chain (a fake НУЦ РК root and citizens' certificates with the IIN in
the subject's serialNumber, as Kazakh certificates have it); `ncanode_standin` answers NCANode 3.x's
POST /cms/verify for signatures made with it; `sign` signs a text from the command line.
"""
