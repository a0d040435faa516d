module aksfleet.test/oracles/gotemplate

go 1.26
