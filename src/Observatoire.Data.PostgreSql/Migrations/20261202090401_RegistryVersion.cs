using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RegistryVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RegistryVersion",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistryVersion", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "RegistryVersion",
                columns: new[] { "Id", "Version" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RegistryVersion");
        }
    }
}
