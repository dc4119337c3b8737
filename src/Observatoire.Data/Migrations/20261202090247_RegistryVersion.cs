using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.Migrations
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
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
