module extract
go 1.26
