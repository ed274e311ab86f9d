db_password = "hunter2-tfvars"
db_user = = "admin"
