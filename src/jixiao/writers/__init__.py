"""Writers: forms and findings out to the official 项目支出绩效自评表 in office formats."""
